//! Values as exports mix them: offsets on some timestamps and not others, `T` or a
//! space, hours-only offsets, a column empty in the sample, cells of spaces, and
//! padded ids.

use crate::common::{assert_num, fixture, parse_csv, Workdir};

/// `cxm tickets FILE --format csv ARGS`: exit code, stdout, stderr.
/// The ticket id and reason of each row of the rejects file `r.csv`, in order.
fn rejected_reasons(wd: &Workdir) -> Vec<(String, String)> {
    parse_csv(&std::fs::read(wd.path("r.csv")).unwrap())
        .into_iter()
        .map(|r| (r["ticket_id"].clone(), r["reason"].clone()))
        .collect()
}

fn tickets(wd: &Workdir, file: &str, args: &[&str]) -> (i32, Vec<u8>, String) {
    let out = wd
        .cxm()
        .args(["tickets", file, "--format", "csv"])
        .args(args)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    (out.status.code().unwrap_or(-1), out.stdout, err)
}

/// `cxm surveys s.csv --tickets t.csv --by team` in `wd`: each team's
/// `csat_responses`, and stderr.
fn responses_by_team(wd: &Workdir) -> (impl Fn(&str) -> Option<String>, String) {
    let out = wd
        .cxm()
        .args(["surveys", "s.csv", "--tickets", "t.csv", "--by", "team"])
        .args(["--format", "csv"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{err}");
    let rows = crate::common::parse_csv(&out.stdout);
    let responses = move |team: &str| {
        rows.iter()
            .find(|r| r["team"] == team)
            .map(|r| r["csat_responses"].clone())
    };
    (responses, err)
}

/// Each ticket resolved exactly 1 h after it was created, each time written another
/// way; in UTC and in Berlin (UTC+2 on 31 March 2025) the times without an offset
/// are read in `--tz`, the others with their own.
#[test]
fn offsets_and_separators_mixed_in_a_column_all_read() {
    let wd = Workdir::new();
    wd.write(
        "mixed.csv",
        b"ticket_id,created_at,resolved_at\n\
          1,2025-03-31 10:00:00,2025-03-31 11:00:00\n\
          2,2025-03-31 10:00:00,2025-03-31T11:00:00\n\
          3,2025-03-31T10:00:00Z,2025-03-31 13:00:00+02:00\n\
          4,2025-03-31 10:00:00+00,2025-03-31T11:00:00+0000\n\
          5,2025-03-31 06:00:00-04:00,2025-03-31T11:00:00Z\n",
    );
    let (code, out, err) = tickets(&wd, "mixed.csv", &["--strict"]);
    assert_eq!(code, 0, "{err}");
    let rows = crate::common::parse_csv(&out);
    assert_eq!(rows[0]["resolved"], "5");
    assert_num(&rows[0], "resolution_mean_hours", 1.0);
    assert_num(&rows[0], "resolution_p90_hours", 1.0);

    // In Berlin, 10:00 local is 08:00Z: a naive creation and a `Z` resolution at
    // 09:00Z are 1 h apart; a naive resolution at 11:00 local (09:00Z) too.
    wd.write(
        "berlin.csv",
        b"ticket_id,created_at,resolved_at\n\
          1,2025-03-31 10:00:00,2025-03-31T09:00:00Z\n\
          2,2025-03-31T08:00:00Z,2025-03-31 11:00:00\n\
          3,2025-03-31 10:00:00,2025-03-31 11:00:00+02:00\n",
    );
    let (code, out, err) = tickets(&wd, "berlin.csv", &["--strict", "--tz", "Europe/Berlin"]);
    assert_eq!(code, 0, "{err}");
    let rows = crate::common::parse_csv(&out);
    assert_eq!(rows[0]["resolved"], "3");
    assert_num(&rows[0], "resolution_mean_hours", 1.0);
    assert_num(&rows[0], "resolution_p90_hours", 1.0);
    // `inspect` says which column mixes them: `resolved_at` is read with its offsets,
    // and its line-2 value has none (`created_at`, mostly without, is local in --tz).
    let out = wd
        .cxm()
        .args(["inspect", "berlin.csv", "--tz", "Europe/Berlin"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("column 'resolved_at' (resolved_at): 1 of the 3 filled values sampled has no offset (first at line 3: '2025-03-31 11:00:00'): read in --tz (Europe/Berlin), where the others carry their own"),
        "{text}"
    );
    assert!(
        !text.contains("column 'created_at' (created_at): 1 of"),
        "{text}"
    );
}

/// A column of times without seconds (`YYYY-MM-DD HH:MM`) also reads the values
/// written with seconds and an offset: first responses in 1 h, 1 h, 2 h (12:00Z −
/// 10:00Z) and 2 h (05:00+01:00 is 04:00Z, 2 h after 02:00), mean 1.5 h. And
/// `inspect` does not say that the mixed values would be rejected.
#[test]
fn a_column_without_seconds_reads_offsets_too() {
    let wd = Workdir::new();
    wd.write(
        "hm.csv",
        b"ticket_id,created_at,first_response_at\n\
          1,2025-03-01 10:00,2025-03-01 11:00\n\
          2,2025-03-01 10:00,2025-03-01 11:00\n\
          3,2025-03-01T10:00:00Z,2025-03-01T12:00:00Z\n\
          4,2025-03-02 02:00,2025-03-02T05:00+01:00\n",
    );
    let (code, out, err) = tickets(&wd, "hm.csv", &["--strict"]);
    assert_eq!(code, 0, "{err}");
    let rows = crate::common::parse_csv(&out);
    assert_eq!(rows[0]["tickets"], "4");
    assert_eq!(rows[0]["responded"], "4");
    assert_num(&rows[0], "first_response_mean_hours", 1.5);
    let out = wd.cxm().args(["inspect", "hm.csv"]).output().unwrap();
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    assert!(!shown.contains("reject"), "{shown}");
}

/// An offset past every zone's (UTC−12:00 to +14:00) is a typo, never a time moved
/// by a day: rejected in each way a column may write it, by a `--date-format`, and
/// refused in `--since`. T1's 10:00+01:00 is 09:00Z, answered an hour later.
#[test]
fn offsets_past_every_zone_are_rejected() {
    let wd = Workdir::new();
    for (file, first, second, extra) in [
        (
            "t.csv",
            "2025-03-03T10:00:00+15:00",
            "2025-03-03T10:00:00+01:00",
            None,
        ),
        (
            "space.csv",
            "2025-03-03 10:00:00 +15:00",
            "2025-03-03 10:00:00 +01:00",
            None,
        ),
        (
            "hours.csv",
            "2025-03-03 10:00:00+15",
            "2025-03-03 10:00:00+01",
            None,
        ),
        (
            "west.csv",
            "2025-03-03 10:00:00-12:30",
            "2025-03-03 10:00:00+01:00",
            None,
        ),
        (
            "given.csv",
            "2025-03-03 10:00 +1500",
            "2025-03-03 10:00 +0100",
            Some("%Y-%m-%d %H:%M %z"),
        ),
        (
            "permissive.csv",
            "03/03/2025 10:00+15",
            "03/03/2025 10:00+01",
            Some("%d/%m/%Y %H:%M%#z"),
        ),
    ] {
        let answered = |at: &str| at.replace("10:00", "11:00");
        wd.write(
            file,
            format!(
                "ticket_id,created_at,first_response_at\nT0,{first},{}\nT1,{second},{}\n",
                answered(first),
                answered(second)
            )
            .as_bytes(),
        );
        let mut args = vec!["--per-ticket"];
        if let Some(format) = extra {
            args.extend(["--date-format", format]);
        }
        let (code, out, err) = tickets(&wd, file, &args);
        assert_eq!(code, 0, "{file}: {err}");
        let rows = parse_csv(&out);
        assert_eq!(rows.len(), 1, "{file}: {rows:?}");
        assert_eq!(rows[0]["ticket_id"], "T1");
        assert_eq!(rows[0]["created_at"], "2025-03-03T09:00:00Z");
        assert!(
            err.contains("1 rejected: unparseable timestamp in created_at"),
            "{file}: {err}"
        );
        assert!(
            err.contains(": its offset is past every zone's (-12:00 to +14:00))"),
            "{file}: {err}"
        );
    }
    let (code, _, err) = tickets(&wd, "t.csv", &["--since", "2025-03-01T00:00:00+15:00"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("an offset from -12:00 to +14:00"), "{err}");
    // A column of them alone: said why no format reads it.
    wd.write(
        "all.csv",
        b"ticket_id,created_at\nA,2025-03-01T10:00:00+15:00\n",
    );
    let (code, _, err) = tickets(&wd, "all.csv", &[]);
    assert_eq!(code, 3, "{err}");
    assert!(
        err.contains("its offset is past every zone's (-12:00 to +14:00)"),
        "{err}"
    );
    // A zone's name is no offset chrono reads: refused, not read in --tz.
    let (code, _, err) = tickets(&wd, "t.csv", &["--date-format", "%Y-%m-%dT%H:%M:%S %Z"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("%Z (a zone's name, such as PST) is read without its offset"),
        "{err}"
    );
    // A given format whose values' offsets are all past every zone's: said so.
    let (code, _, err) = tickets(&wd, "all.csv", &["--date-format", "%Y-%m-%dT%H:%M:%S%:z"]);
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("its offset is past every zone's"), "{err}");
    // A literal GMT is UTC, as a literal UTC is: 10:00 GMT is 10:00Z, not 10:00 in
    // New York.
    wd.write(
        "gmt.csv",
        b"ticket_id,created_at\nA,2025-03-01 10:00:00 GMT\n",
    );
    let gmt = [
        "--per-ticket",
        "--tz",
        "America/New_York",
        "--date-format",
        "%Y-%m-%d %H:%M:%S GMT",
    ];
    let (code, out, err) = tickets(&wd, "gmt.csv", &gmt);
    assert_eq!(code, 0, "{err}");
    assert_eq!(parse_csv(&out)[0]["created_at"], "2025-03-01T10:00:00Z");
    // So in the middle of the pattern (`date -u`'s layout), and a literal +0000; another
    // zone written into the pattern is refused, as %Z is.
    wd.write(
        "unix.csv",
        b"ticket_id,created_at\nA,Sat Mar 01 10:00:00 UTC 2025\n",
    );
    let unix = [
        "--per-ticket",
        "--tz",
        "Asia/Kolkata",
        "--date-format",
        "%a %b %d %H:%M:%S UTC %Y",
    ];
    let (code, out, err) = tickets(&wd, "unix.csv", &unix);
    assert_eq!(code, 0, "{err}");
    assert_eq!(parse_csv(&out)[0]["created_at"], "2025-03-01T10:00:00Z");
    wd.write(
        "zero.csv",
        b"ticket_id,created_at\nA,2025-03-01 10:00:00 +0000\n",
    );
    let zero = [
        "--per-ticket",
        "--tz",
        "Asia/Kolkata",
        "--date-format",
        "%Y-%m-%d %H:%M:%S +0000",
    ];
    let (code, out, err) = tickets(&wd, "zero.csv", &zero);
    assert_eq!(code, 0, "{err}");
    assert_eq!(parse_csv(&out)[0]["created_at"], "2025-03-01T10:00:00Z");
    let (code, _, err) = tickets(&wd, "gmt.csv", &["--date-format", "%Y-%m-%d %H:%M:%S PST"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("'PST' written into the pattern is read past"),
        "{err}"
    );
    // A name and an offset joined: zero is UTC (Salesforce's `.000+0000`, JavaScript's
    // `GMT+0000`); another is refused, as a German `MEZ` is.
    wd.write(
        "js.csv",
        b"ticket_id,created_at\nA,2025-03-01 10:00:00 GMT+0000\n",
    );
    let js = [
        "--per-ticket",
        "--tz",
        "Asia/Kolkata",
        "--date-format",
        "%Y-%m-%d %H:%M:%S GMT+0000",
    ];
    let (code, out, err) = tickets(&wd, "js.csv", &js);
    assert_eq!(code, 0, "{err}");
    assert_eq!(parse_csv(&out)[0]["created_at"], "2025-03-01T10:00:00Z");
    for refused in ["%Y-%m-%d %H:%M:%S GMT+0100", "%d.%m.%Y %H:%M MEZ"] {
        let (code, _, err) = tickets(&wd, "js.csv", &["--date-format", refused]);
        assert_eq!(code, 2, "{refused}: {err}");
    }
    // An offset before the year (`Tue Oct 31 22:10:47 +0000 2017`) is an offset:
    // `inspect` says of none that it lacks one.
    wd.write(
        "tweets.csv",
        b"ticket_id,created_at\n1,Tue Oct 31 22:10:47 +0000 2017\n2,Tue Oct 31 22:10:47 +0500 2017\n",
    );
    let out = wd.cxm().args(["inspect", "tweets.csv"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("no offset"), "{text}");
}

/// `+00` is how PostgreSQL and DuckDB write UTC in a CSV export.
#[test]
fn hours_only_offsets_read() {
    let wd = Workdir::new();
    wd.write(
        "pg.csv",
        b"ticket_id,created_at,resolved_at\n\
          A,2025-01-01 10:00:00+00,2025-01-01 12:00:00+00\n\
          B,2025-01-01 10:00:00+01,2025-01-01 12:30:00+00\n",
    );
    let (code, out, err) = tickets(&wd, "pg.csv", &["--strict"]);
    assert_eq!(code, 0, "{err}");
    let rows = crate::common::parse_csv(&out);
    // A: 2 h; B: 09:00Z to 12:30Z, 3.5 h.
    assert_eq!(rows[0]["resolved"], "2");
    assert_num(&rows[0], "resolution_mean_hours", 2.75);
    // After a space, in every row: the same times.
    wd.write(
        "spaced.csv",
        b"ticket_id,created_at,resolved_at\n\
          A,2025-01-01 10:00:00 +00,2025-01-01 12:00:00 +00\n\
          B,2025-01-01 10:00:00 +01,2025-01-01 12:30:00 +00\n",
    );
    let (code, out, err) = tickets(&wd, "spaced.csv", &["--strict"]);
    assert_eq!(code, 0, "{err}");
    let rows = crate::common::parse_csv(&out);
    assert_eq!(rows[0]["resolved"], "2");
    assert_num(&rows[0], "resolution_mean_hours", 2.75);
}

/// A newest-first export whose first rows are all unresolved: the resolution column
/// is empty in the sample, and is read as the file's other dates are written.
#[test]
fn a_column_empty_in_the_sample_reads_like_the_other_dates() {
    let wd = Workdir::new();
    for (name, created, resolved) in [
        ("iso.csv", "2025-01-01 10:00:00", "2025-01-01 12:00:00"),
        ("us.csv", "01/02/2025 10:00:00 AM", "01/02/2025 12:00:00 PM"),
    ] {
        let mut text = String::from("ticket_id,created_at,resolved_at\n");
        for i in 0..3000 {
            text.push_str(&format!("T{i},{created},\n"));
        }
        text.push_str(&format!("X,{created},{resolved}\n"));
        wd.write(name, text.as_bytes());
        let (code, out, err) = tickets(&wd, name, &["--strict"]);
        assert_eq!(code, 0, "{name}: {err}");
        let rows = crate::common::parse_csv(&out);
        assert_eq!(rows[0]["tickets"], "3001", "{name}");
        assert_eq!(rows[0]["resolved"], "1", "{name}");
        assert_num(&rows[0], "resolution_mean_hours", 2.0);
        // `inspect` says the column's format is told by its value past the sample.
        let out = wd.cxm().args(["inspect", name]).output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        let line = text
            .lines()
            .find(|l| l.contains("resolved_at") && l.contains('%'))
            .unwrap_or("");
        assert!(
            line.contains("told by its values past the rows sampled"),
            "{text}"
        );
        let line = text
            .lines()
            .find(|l| l.contains("created_at"))
            .unwrap_or("");
        assert!(!line.contains("assumed"), "{text}");
    }
}

/// A cell of spaces is a blank cell: a missing time (not a bad one), the blank
/// group, and a response without a ticket (not one with an unknown ticket).
#[test]
fn a_cell_of_spaces_is_blank() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket_id,created_at,resolved_at,team\n\
          A,2025-01-01T10:00:00Z, ,x\n\
          B,2025-01-01T10:00:00Z,, \n\
          C,2025-01-01T10:00:00Z,,\n",
    );
    let (code, out, err) = tickets(&wd, "t.csv", &["--strict", "--by", "team"]);
    assert_eq!(code, 0, "{err}");
    let rows = crate::common::parse_csv(&out);
    assert_eq!(rows.len(), 2);
    assert_eq!(
        (rows[0]["team"].as_str(), rows[0]["tickets"].as_str()),
        ("x", "1")
    );
    assert_eq!(
        (rows[1]["team"].as_str(), rows[1]["tickets"].as_str()),
        ("", "2")
    );
    assert_eq!(rows[0]["resolved"], "0");

    wd.write(
        "s.csv",
        b"response_id,ticket_id,submitted_at,csat\n\
          r1, ,2025-01-02T10:00:00Z,5\n\
          r2,,2025-01-02T10:00:00Z,4\n\
          r3,A,2025-01-02T10:00:00Z,5\n",
    );
    let (responses, err) = responses_by_team(&wd);
    assert!(!err.contains("no matching ticket"), "{err}");
    assert_eq!(responses("x").as_deref(), Some("1"));
    assert_eq!(responses("").as_deref(), Some("2"));
}

/// A response's ticket id padded with spaces is its ticket's id (r1 and r2 are both
/// T1's, of team a; r3's id is no ticket's).
#[test]
fn padded_ticket_ids_join() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket_id,created_at,team\nT1,2025-01-01T10:00:00Z,a\n T2 ,2025-01-01T10:00:00Z,b\n",
    );
    wd.write(
        "s.csv",
        b"response_id,ticket_id,submitted_at,csat\n\
          r1, T1 ,2025-01-02T10:00:00Z,5\n\
          r2,T1,2025-01-02T10:00:00Z,4\n\
          r3,T2,2025-01-02T10:00:00Z,1\n\
          r4,T3,2025-01-02T10:00:00Z,1\n",
    );
    let (responses, err) = responses_by_team(&wd);
    assert!(err.contains("1 row: no matching ticket"), "{err}");
    assert_eq!(responses("a").as_deref(), Some("2"));
    assert_eq!(responses("b").as_deref(), Some("1"));
}

/// A column of day-first clock times where a spreadsheet wrote midnight as the date
/// alone: every value read, a date alone as its day's first instant in `--tz`. By hand
/// in Berlin: T1 00:00 → 02:30, 2.5 h; T2 on the autumn change day, 00:00 CEST (22:00
/// UTC the day before) → 04:00 CET (03:00 UTC), 5 h; T3 09:00 → the next midnight,
/// 15 h. Mean 7.5 h, none rejected.
#[test]
fn dates_alone_among_clock_times_are_midnight() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket_id,created_at,first_response_at\n\
          T1,08/09/2024,08/09/2024 02:30\n\
          T2,27/10/2024,27/10/2024 04:00\n\
          T3,13/01/2025 09:00,14/01/2025\n",
    );
    let (code, out, err) = tickets(&wd, "t.csv", &["--tz", "Europe/Berlin", "-v"]);
    assert_eq!(code, 0, "{err}");
    let rows = parse_csv(&out);
    assert_eq!(rows[0]["tickets"], "3", "{err}");
    assert_eq!(rows[0]["responded"], "3", "{err}");
    assert_num(&rows[0], "first_response_mean_hours", 7.5);
    assert!(err.contains("0 rejected"), "{err}");
}

/// A ticket id padded with spaces repeats the same id unpadded: T1's two rows are one
/// ticket, its last (answered after 2 h, team b) kept; ` T2 ` and `T2 ` likewise (the
/// first, answered after 4 h, with `--keep first`). By hand: 2 tickets, mean first
/// response (2 + 1) / 2 = 1.5 h; with `--keep first` (1 + 4) / 2 = 2.5 h.
#[test]
fn padded_ticket_ids_repeat() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket_id,created_at,first_response_at,team\n\
          T1,2025-01-01T10:00:00Z,2025-01-01T11:00:00Z,a\n\
          \" T2 \",2025-01-01T10:00:00Z,2025-01-01T14:00:00Z,a\n\
          \" T1\",2025-01-02T10:00:00Z,2025-01-02T12:00:00Z,b\n\
          \"T2 \",2025-01-02T10:00:00Z,2025-01-02T11:00:00Z,b\n",
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
    let (rows, err) = run(&[]);
    assert_eq!(rows[0]["tickets"], "2", "{err}");
    assert_num(&rows[0], "first_response_mean_hours", 1.5);
    assert!(err.contains("2 duplicates"), "{err}");
    let (rows, _) = run(&["--keep", "first"]);
    assert_num(&rows[0], "first_response_mean_hours", 2.5);
    let (rows, _) = run(&["--by", "team"]);
    let teams: Vec<(&str, &str)> = (rows.iter())
        .map(|r| (r["team"].as_str(), r["tickets"].as_str()))
        .collect();
    assert_eq!(teams, [("b", "2")]);
}

/// Subscriptions whose start dates mix dates alone with ISO times (with `Z`, or
/// minutes without seconds): every row read. A starts 1 January, B 5 January
/// (cancelled 3 February), C 7 January, D 9 January: January ends with 4, February
/// with 3 after B's churn.
#[test]
fn dates_alone_and_times_mixed_in_a_column_all_read() {
    let wd = Workdir::new();
    wd.write(
        "subs.csv",
        b"customer_id,start_date,end_date,mrr\n\
          A,2025-01-01,,10\n\
          B,2025-01-05,2025-02-03T10:00:00Z,10\n\
          C,2025-01-07T00:00:00Z,,5\n\
          D,2025-01-09 08:00,,5\n",
    );
    let out = wd
        .cxm()
        .args(["churn", "subs.csv", "--strict", "--format", "csv"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    let rows = crate::common::parse_csv(&out.stdout);
    let month = |p: &str| rows.iter().find(|r| r["period"] == p).unwrap();
    assert_eq!(month("2025-01")["new_customers"], "4");
    assert_eq!(month("2025-01")["customers_end"], "4");
    assert_eq!(month("2025-02")["churned"], "1");
    assert_eq!(month("2025-02")["customers_end"], "3");
}

/// 2025-03-30 02:30 never happened in Berlin (clocks went from 02:00 to 03:00): the
/// value is rejected, and the warning says why. 01:30 CET → 03:30 CEST is one hour.
#[test]
fn a_local_time_in_the_summer_time_gap_is_rejected_and_explained() {
    let wd = Workdir::new();
    wd.write(
        "dst.csv",
        b"ticket_id,created_at,first_response_at\n\
          1,2025-03-30 01:30:00,2025-03-30 02:30:00\n\
          2,2025-03-30 01:30:00,2025-03-30 03:30:00\n",
    );
    let out = wd
        .cxm()
        .args([
            "tickets",
            "dst.csv",
            "--tz",
            "Europe/Berlin",
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("value '2025-03-30 02:30:00': a local time Europe/Berlin never showed"),
        "{err}"
    );
    let rows = crate::common::parse_csv(&out.stdout);
    assert_num(&rows[0], "responded", 1.0);
    assert_num(&rows[0], "first_response_mean_hours", 1.0);
    // `--rejects` gives the reason on the skipped value's own row, and not on a value
    // rejected for another reason.
    wd.write(
        "mixed.csv",
        b"ticket_id,created_at
P1,2025-03-30 02:30:00
P2,2025-03-30 04:30:00
P3,soon
",
    );
    let out = wd
        .cxm()
        .args([
            "tickets",
            "mixed.csv",
            "--tz",
            "Europe/Berlin",
            "--rejects",
            "r.csv",
            "-q",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let rejects = rejected_reasons(&wd);
    let reasons: Vec<(&str, &str)> = rejects
        .iter()
        .map(|(t, r)| (t.as_str(), r.as_str()))
        .collect();
    assert_eq!(
        reasons,
        [
            ("P1", "unparseable timestamp: a local time Europe/Berlin never showed (its clocks were put forward past it)"),
            ("P3", "unparseable timestamp"),
        ]
    );
}

/// A time that reads, but in a year outside 1900–2099, is rejected as unparseable, and
/// the reason names its year: 1899 (ISO with `Z`), 9999 (a date alone), 2100 (no
/// offset), and a day-first 1899 in a day-first file. `never` is no time at all.
#[test]
fn a_year_out_of_range_is_named_as_the_reason() {
    let wd = Workdir::new();
    wd.write(
        "yr.csv",
        b"ticket_id,created_at
A,1899-12-31T23:00:00Z
B,9999-12-31
C,2025-01-01T10:00:00Z
D,never
E,2100-01-01 00:00
",
    );
    let out = wd
        .cxm()
        .args(["tickets", "yr.csv", "--rejects", "r.csv", "--format", "csv"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("value '1899-12-31T23:00:00Z': the year 1899 is outside 1900–2099"),
        "{err}"
    );
    let rejects = rejected_reasons(&wd);
    let reasons: Vec<(&str, &str)> = rejects
        .iter()
        .map(|(t, r)| (t.as_str(), r.as_str()))
        .collect();
    let year = |y: &str| {
        format!("unparseable timestamp: the year {y} is outside 1900–2099, where a time is taken as misread (a placeholder such as 9999-12-31, or epoch milliseconds read as seconds)")
    };
    assert_eq!(
        reasons,
        [
            ("A", year("1899").as_str()),
            ("B", year("9999").as_str()),
            ("D", "unparseable timestamp"),
            ("E", year("2100").as_str()),
        ]
    );
    wd.write(
        "day_first.csv",
        b"ticket_id,created_at\nA,31/12/1899 10:00\nC,13/01/2025 10:00\n",
    );
    let out = wd
        .cxm()
        .args(["tickets", "day_first.csv"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("value '31/12/1899 10:00': the year 1899 is outside"),
        "{err}"
    );
    // In a dotted day-first column, ISO values are rejected for their shape, whatever
    // their year, and so is a two-digit year: no year is blamed; 1899 dotted is.
    wd.write(
        "dotted.csv",
        b"ticket_id,created_at
A,15.03.2025 10:00
B,15.03.2025 10:00
C,2100-01-01 10:00
D,9999-12-31
E,17.03.25 10:00
F,31.12.1899 10:00
",
    );
    let out = wd
        .cxm()
        .args(["tickets", "dotted.csv", "--rejects", "r.csv", "-q"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let rejects = rejected_reasons(&wd);
    let reasons: Vec<(&str, &str)> = rejects
        .iter()
        .map(|(t, r)| (t.as_str(), r.as_str()))
        .collect();
    assert_eq!(
        reasons,
        [
            ("C", "unparseable timestamp"),
            ("D", "unparseable timestamp"),
            ("E", "unparseable timestamp"),
            ("F", year("1899").as_str()),
        ]
    );
    // Nor is summer time blamed for an ISO value in that column: 02:30 on March 30
    // never showed in Berlin, but it was rejected for its shape; dotted, it is blamed.
    wd.write(
        "dotted_gap.csv",
        b"ticket_id,created_at
A,15.03.2025 10:00
B,16.03.2025 10:00
E,17.03.2025 10:00
C,30.03.2025 02:30
D,2025-03-30 02:30
",
    );
    let out = wd
        .cxm()
        .args(["tickets", "dotted_gap.csv", "--tz", "Europe/Berlin"])
        .args(["--rejects", "r.csv", "-q"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let rejects = rejected_reasons(&wd);
    let reasons: Vec<(&str, &str)> = rejects
        .iter()
        .map(|(t, r)| (t.as_str(), r.as_str()))
        .collect();
    assert_eq!(
        reasons,
        [
            ("C", "unparseable timestamp: a local time Europe/Berlin never showed (its clocks were put forward past it)"),
            ("D", "unparseable timestamp"),
        ]
    );
}

/// Dates that read only day-first beside dates that read only month-first: the error
/// says the file mixes them and shows one of each with its line (a title above the
/// header is line 1, B's subject spans lines 4 and 5), rather than calling every
/// date ambiguous.
#[test]
fn a_file_mixing_day_and_month_first_is_named_so() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"Tickets export\nticket_id,created_at,subject\nA,01/02/2025 10:00,x\nB,13/04/2025 10:00,\"two\nlines\"\nC,02/13/2025 10:00,x\n",
    );
    let out = wd.cxm().args(["tickets", "t.csv"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(
        err.contains("1 value reads only month-first (e.g. line 6: '02/13/2025 10:00') and 1 only day-first (e.g. line 4: '13/04/2025 10:00')"),
        "{err}"
    );
}

/// Dates shortened to two-digit years (`3/1/25 10:00 AM`) are this century's, read
/// month-first as US 12-hour clocks are: replies 30 min, 2 h and 15 min after
/// creation; none is rejected and none lands in the year 25.
#[test]
fn two_digit_years_read_as_this_century() {
    let wd = Workdir::new();
    wd.write(
        "yy.csv",
        b"ticket_id,created_at,first_response_at,team\n\
          1,3/1/25 10:00 AM,3/1/25 10:30 AM,a\n\
          2,3/2/25 9:00 PM,3/2/25 11:00 PM,b\n\
          3,3/14/25 9:00 AM,3/14/25 9:15 AM,b\n",
    );
    let (code, out, err) = tickets(&wd, "yy.csv", &["--strict", "--every", "month"]);
    assert_eq!(code, 0, "{err}");
    let rows = crate::common::parse_csv(&out);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["period"], "2025-03");
    assert_eq!(rows[0]["responded"], "3");
    // (0.5 + 2 + 0.25) / 3 h.
    assert_num(&rows[0], "first_response_mean_hours", 2.75 / 3.0);
}

/// A 12-hour clock whose every date reads both ways is taken month-first, the US
/// form, and said to be: a UK export of the first twelve days of months reads alike.
/// `04/03/2024 09:00 AM` to `05/03/2024 09:00 AM` is 3 April to 3 May, 720 h, read
/// so; day-first, 24 h. A date that tells the order leaves nothing to say.
#[test]
fn a_twelve_hour_clock_read_both_ways_is_said_to_be_taken_month_first() {
    let wd = Workdir::new();
    wd.write(
        "uk.csv",
        b"ticket_id,created_at,resolved_at\nT1,04/03/2024 09:00 AM,05/03/2024 09:00 AM\n",
    );
    let (code, out, err) = tickets(&wd, "uk.csv", &[]);
    assert_eq!(code, 0, "{err}");
    assert_num(
        &crate::common::parse_csv(&out)[0],
        "resolution_mean_hours",
        720.0,
    );
    assert!(
        err.contains("uk.csv: every date (e.g. created_at like '04/03/2024 09:00 AM') reads both as month-first and as day-first: read month-first")
            && err.contains("give --date-format '%d/%m/%Y %I:%M %p'"),
        "{err}"
    );
    let (code, out, err) = tickets(&wd, "uk.csv", &["--date-format", "%d/%m/%Y %I:%M %p"]);
    assert_eq!(code, 0, "{err}");
    assert_num(
        &crate::common::parse_csv(&out)[0],
        "resolution_mean_hours",
        24.0,
    );
    assert!(!err.contains("reads both"), "{err}");
    let out = wd.cxm().args(["inspect", "uk.csv"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout)
        .contains("read month-first, as dates beside a 12-hour clock"));
    // Columns of two shapes: no one pattern reads them, and none is offered.
    wd.write(
        "two.csv",
        b"ticket_id,created_at,resolved_at\nT1,04/03/2024 09:00 AM,06/03/2024\n",
    );
    let (code, _, err) = tickets(&wd, "two.csv", &[]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("its date columns are written in 2 shapes ('%d/%m/%Y %I:%M %p', '%d/%m/%Y'), which no one --date-format reads"),
        "{err}"
    );
    wd.write(
        "us.csv",
        b"ticket_id,created_at,resolved_at\nT1,04/03/2024 09:00 AM,04/13/2024 09:00 AM\n",
    );
    let (code, _, err) = tickets(&wd, "us.csv", &[]);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("reads both"), "{err}");
}

/// A UK export of the 4th (every date reads both ways, its 12-hour clock taken for
/// the US form) beside one of the 20th (day-first only) is read day-first, as the
/// other is: four March tickets resolved in 24, 2, 24 and 2 h (mean 13), where
/// month-first put two in April, of 720 h. Beside a US file, it stays month-first.
#[test]
fn a_file_whose_dates_read_both_ways_follows_the_runs_other_files() {
    let wd = Workdir::new();
    std::fs::create_dir(wd.path("uk")).unwrap();
    wd.write(
        "uk/a.csv",
        b"ticket_id,created_at,resolved_at\nA1,04/03/2024 09:00 AM,05/03/2024 09:00 AM\nA2,04/03/2024 10:00 AM,04/03/2024 12:00 PM\n",
    );
    wd.write(
        "uk/b.csv",
        b"ticket_id,created_at,resolved_at\nB1,20/03/2024 09:00 AM,21/03/2024 09:00 AM\nB2,20/03/2024 10:00 AM,20/03/2024 12:00 PM\n",
    );
    let (code, out, err) = tickets(&wd, "uk", &["--every", "month"]);
    assert_eq!(code, 0, "{err}");
    let rows = crate::common::parse_csv(&out);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(
        (rows[0]["period"].as_str(), rows[0]["tickets"].as_str()),
        ("2024-03", "4")
    );
    assert_num(&rows[0], "resolution_mean_hours", 13.0);
    assert!(err.contains("uk/a.csv: every date reads both as month-first and as day-first: read day-first, as uk/b.csv writes its dates"), "{err}");
    std::fs::create_dir(wd.path("us")).unwrap();
    std::fs::copy(wd.path("uk/a.csv"), wd.path("us/a.csv")).unwrap();
    wd.write(
        "us/c.csv",
        b"ticket_id,created_at,resolved_at\nC1,04/20/2024 09:00 AM,04/21/2024 09:00 AM\n",
    );
    let (code, out, err) = tickets(&wd, "us", &["--every", "month"]);
    assert_eq!(code, 0, "{err}");
    // Month-first: A1 3 April to 3 May (720 h), A2 2 h, C1 20 to 21 April (24 h).
    let rows = crate::common::parse_csv(&out);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(
        (rows[0]["period"].as_str(), rows[0]["tickets"].as_str()),
        ("2024-04", "3")
    );
    assert_num(&rows[0], "resolution_mean_hours", 746.0 / 3.0);
}

/// The same of a 24-hour clock, whose dates reading both ways stop a file read alone:
/// beside a file of the 20th (day-first only) they are read day-first, as it writes
/// them (4 March: 24 h and 2 h, beside 24 h and 2 h: mean 13 h, all March); beside a
/// US file (the 20th of April) month-first (3 April to 3 May, 720 h; 2 h; 24 h: all
/// April); beside nothing that tells, the stop stands.
#[test]
fn a_24_hour_file_whose_dates_read_both_ways_follows_the_runs_other_files() {
    let wd = Workdir::new();
    for dir in ["uk", "us", "alone"] {
        std::fs::create_dir(wd.path(dir)).unwrap();
    }
    let both_ways = b"ticket_id,created_at,resolved_at\nA1,04/03/2024 09:00,05/03/2024 09:00\nA2,04/03/2024 10:00,04/03/2024 12:00\n";
    wd.write("uk/a.csv", both_ways);
    wd.write(
        "uk/b.csv",
        b"ticket_id,created_at,resolved_at\nB1,20/03/2024 09:00,21/03/2024 09:00\nB2,20/03/2024 10:00,20/03/2024 12:00\n",
    );
    let (code, out, err) = tickets(&wd, "uk", &["--every", "month"]);
    assert_eq!(code, 0, "{err}");
    let rows = crate::common::parse_csv(&out);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(
        (rows[0]["period"].as_str(), rows[0]["tickets"].as_str()),
        ("2024-03", "4")
    );
    assert_num(&rows[0], "resolution_mean_hours", 13.0);
    assert!(err.contains("uk/a.csv: every date reads both as month-first and as day-first: read day-first, as uk/b.csv writes its dates"), "{err}");
    // `inspect` of the folder says so, not the stop the file makes alone.
    let out = wd.cxm().args(["inspect", "uk"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("uk/a.csv: every date reads both as month-first and as day-first: read day-first given with uk/b.csv")
            && !text.contains("ambiguous"),
        "{text}"
    );
    wd.write("us/a.csv", both_ways);
    wd.write(
        "us/c.csv",
        b"ticket_id,created_at,resolved_at\nC1,04/20/2024 09:00,04/21/2024 09:00\n",
    );
    let (code, out, err) = tickets(&wd, "us", &["--every", "month"]);
    assert_eq!(code, 0, "{err}");
    let rows = crate::common::parse_csv(&out);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(
        (rows[0]["period"].as_str(), rows[0]["tickets"].as_str()),
        ("2024-04", "3")
    );
    assert_num(&rows[0], "resolution_mean_hours", 746.0 / 3.0);
    assert!(err.contains("us/a.csv: every date reads both as month-first and as day-first: read month-first, as us/c.csv writes its dates"), "{err}");
    wd.write("alone/a.csv", both_ways);
    wd.write("alone/a2.csv", both_ways);
    let (code, _, err) = tickets(&wd, "alone", &[]);
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("day/month order is ambiguous"), "{err}");
}

/// A footer naming the export's zone (Zammad's download: `Timezone: Europe/Berlin`)
/// is the zone of its times without an offset: 1 February 00:30 in Berlin is 31
/// January 23:30 UTC, a January ticket; 30 March 22:00 to 31 March 10:00 spans the
/// change to summer time, 11 h. Read in UTC they were February's and 12 h.
#[test]
fn a_footer_names_the_zone_of_the_times() {
    let wd = Workdir::new();
    wd.write(
        "z.csv",
        b"ticket_id,created_at,resolved_at\n1,2024-03-30 22:00:00,2024-03-31 10:00:00\n2,2024-02-01 00:30:00,2024-02-01 04:30:00\n\nTimezone: Europe/Berlin\n",
    );
    let (code, out, err) = tickets(&wd, "z.csv", &["--every", "month"]);
    assert_eq!(code, 0, "{err}");
    let rows = crate::common::parse_csv(&out);
    let periods: Vec<&str> = rows.iter().map(|r| r["period"].as_str()).collect();
    assert_eq!(periods, ["2024-01", "2024-03"]);
    assert_num(&rows[0], "resolution_mean_hours", 4.0);
    assert_num(&rows[1], "resolution_mean_hours", 11.0);
    assert!(
        err.contains("its times without an offset are read in Europe/Berlin, the zone it names"),
        "{err}"
    );
    // With a --date-format too.
    let (code, out, err) = tickets(
        &wd,
        "z.csv",
        &["--every", "month", "--date-format", "%Y-%m-%d %H:%M:%S"],
    );
    assert_eq!(code, 0, "{err}");
    let rows = crate::common::parse_csv(&out);
    assert_num(&rows[1], "resolution_mean_hours", 11.0);
    // A date alone is the day it names, in --tz's buckets: 1 February is February's.
    wd.write(
        "d.csv",
        b"ticket_id,created_at,resolved_at\n1,2025-02-01,2025-02-03\n2,2025-01-15,2025-01-16\n\nTimezone: Europe/Berlin\n",
    );
    let (code, out, err) = tickets(&wd, "d.csv", &["--period", "2025-02"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(crate::common::parse_csv(&out)[0]["tickets"], "1", "{err}");
}

/// A space between the time and its offset (`10:00:00 +0100`) reads like the same
/// value without it: replies at 10:30 +01:00 (30 min) and 12:00 UTC (13:00 +01:00,
/// 3 h after 10:00 +01:00).
#[test]
fn a_space_before_the_offset_reads() {
    let wd = Workdir::new();
    wd.write(
        "sp.csv",
        b"ticket_id,created_at,first_response_at\n\
          1,2025-03-01 10:00:00 +0100,2025-03-01 10:30:00 +01:00\n\
          2,2025-03-01 10:00:00 +0100,2025-03-01 12:00:00 +0000\n",
    );
    let (code, out, err) = tickets(&wd, "sp.csv", &["--strict"]);
    assert_eq!(code, 0, "{err}");
    let rows = crate::common::parse_csv(&out);
    assert_eq!(rows[0]["responded"], "2");
    assert_num(&rows[0], "first_response_mean_hours", 1.75);
}

/// An ISO `--date-format` without a fraction reads each value with its own offset,
/// or none, as the detected ISO formats do (docs/metrics.md): 10:00 at +01:00 is
/// 09:00 UTC, at −05:00 15:00 UTC, without an offset 10:00 in `--tz` (UTC).
#[test]
fn an_iso_date_format_reads_offsets_as_detection_does() {
    let wd = Workdir::new();
    wd.write(
        "off.csv",
        b"ticket_id,created_at\n1,2025-03-01 10:00:00+01:00\n2,2025-03-01 10:00:00 +0100\n\
          3,2025-03-01 10:00:00\n4,2025-03-01T10:00:00 -05:00\n",
    );
    // Every sampled value with an offset: the plain pattern still reads them.
    wd.write(
        "all.csv",
        b"ticket_id,created_at\n1,2025-03-01 10:00:00+01:00\n2,2025-03-01 10:00:00Z\n",
    );
    let (code, out, err) = tickets(
        &wd,
        "all.csv",
        &["--date-format", "%Y-%m-%d %H:%M:%S", "--per-ticket"],
    );
    assert_eq!(code, 0, "{err}");
    let rows = crate::common::parse_csv(&out);
    assert_eq!(rows[0]["created_at"], "2025-03-01T09:00:00Z");
    assert_eq!(rows[1]["created_at"], "2025-03-01T10:00:00Z");
    for pattern in ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M:%S%z"] {
        let (code, out, err) = tickets(
            &wd,
            "off.csv",
            &["--date-format", pattern, "--per-ticket", "--strict"],
        );
        assert_eq!(code, 0, "{pattern}: {err}");
        let rows = crate::common::parse_csv(&out);
        let created: Vec<&str> = rows.iter().map(|r| r["created_at"].as_str()).collect();
        assert_eq!(
            created,
            [
                "2025-03-01T09:00:00Z",
                "2025-03-01T09:00:00Z",
                "2025-03-01T10:00:00Z",
                "2025-03-01T15:00:00Z"
            ],
            "{pattern}"
        );
    }
}

/// A date names a day, even where the zone skipped its midnight: Santiago's clocks
/// jumped from 00:00 to 01:00 on 2024-09-08 (−04 → −03), so that day starts at 01:00
/// −03 = 04:00 UTC and lasts 23 hours (to 2024-09-09 00:00 −03 = 03:00 UTC). Cairo
/// (2024-04-26, +02 → +03 at midnight) the same, in a day-first `--date-format`: the
/// day starts 01:00 +03 = 2024-04-25 22:00 UTC.
#[test]
fn a_date_whose_midnight_was_skipped_starts_at_the_days_first_instant() {
    let wd = Workdir::new();
    wd.write(
        "sant.csv",
        b"ticket_id,created_at,resolved_at\nS1,2024-09-08,2024-09-09\nS2,2024-09-07,2024-09-08\n",
    );
    let (out, err) = wd.csv_and_stderr(&[
        "tickets",
        "sant.csv",
        "--tz",
        "America/Santiago",
        "--per-ticket",
        "--strict",
    ]);
    let rows = parse_csv(&out);
    assert_eq!(rows.len(), 2, "{err}");
    assert_eq!(rows[0]["created_at"], "2024-09-08T04:00:00Z");
    assert_num(&rows[0], "resolution_hours", 23.0);
    // 2024-09-07 00:00 −04 = 04:00 UTC, to the next day's first instant: 24 hours.
    assert_eq!(rows[1]["created_at"], "2024-09-07T04:00:00Z");
    assert_num(&rows[1], "resolution_hours", 24.0);

    wd.write(
        "cairo.csv",
        b"ticket_id,created_at\nK1,26/04/2024\nK2,25/04/2024\n",
    );
    let rows = wd.csv_rows(&[
        "tickets",
        "cairo.csv",
        "--tz",
        "Africa/Cairo",
        "--date-format",
        "%d/%m/%Y",
        "--per-ticket",
        "--strict",
    ]);
    let created: Vec<&str> = rows.iter().map(|r| r["created_at"].as_str()).collect();
    assert_eq!(created, ["2024-04-25T22:00:00Z", "2024-04-24T22:00:00Z"]);
}

/// A midnight written with its time, on a day whose midnight the zone skipped, names
/// that day as a date alone does (no clock showed it; a spreadsheet's date cell is
/// read so): Santiago's 2024-09-08 starts at 01:00 −03 = 04:00 UTC, and 05:00 −03 is
/// 4 hours later. Read so on the ISO path, by a day-first `--date-format`, and from a
/// workbook's date cell.
#[test]
fn a_skipped_midnight_written_with_its_time_is_the_days_first_instant() {
    let wd = Workdir::new();
    wd.write(
        "iso.csv",
        b"ticket_id,created_at,resolved_at\nS1,2024-09-08 00:00:00,2024-09-08 05:00:00\n",
    );
    wd.write(
        "dmy.csv",
        b"ticket_id,created_at,resolved_at\nS1,08/09/2024 00:00,08/09/2024 05:00\n",
    );
    let book = fixture("excel/skipped_midnight.xlsx");
    let runs: [&[&str]; 3] = [
        &["iso.csv"],
        &["dmy.csv", "--date-format", "%d/%m/%Y %H:%M"],
        &[book.as_str()],
    ];
    for extra in runs {
        let mut args = vec![
            "tickets",
            "--tz",
            "America/Santiago",
            "--per-ticket",
            "--strict",
        ];
        args.extend_from_slice(extra);
        let (out, err) = wd.csv_and_stderr(&args);
        let rows = parse_csv(&out);
        assert_eq!(rows.len(), 1, "{extra:?}: {err}");
        assert_eq!(rows[0]["created_at"], "2024-09-08T04:00:00Z", "{extra:?}");
        assert_num(&rows[0], "resolution_hours", 4.0);
    }
}

/// A time the zone skipped, in a day-first or 12-hour column, is rejected with the
/// reason said as for ISO times: 02:30 on 2024-03-10 never showed in New York.
#[test]
fn a_skipped_time_is_explained_in_the_columns_own_format() {
    let wd = Workdir::new();
    wd.write(
        "de.csv",
        b"ticket_id,created_at\nG1,10.03.2024 02:30\nG2,13.03.2024 02:30\n",
    );
    wd.write(
        "us.csv",
        b"ticket_id,created_at\nG1,03/10/2024 02:30 AM\nG2,03/11/2024 02:30 PM\nG3,03/12/2024 09:00 AM\n",
    );
    for (file, value) in [
        ("de.csv", "10.03.2024 02:30"),
        ("us.csv", "03/10/2024 02:30 AM"),
    ] {
        let (_, err) = wd.csv_and_stderr(&["tickets", file, "--tz", "America/New_York"]);
        assert!(
            err.contains(&format!(
                "value '{value}': a local time America/New_York never showed"
            )),
            "{err}"
        );
    }
}

/// Padded times and counts read as detection reads them: ticket 1 is created at
/// ` 2025-03-09T09:00:00Z ` and replied to once (` 1`), ticket 2 once (`1 `); both
/// answered and resolved an hour later. In a day-first file too.
#[test]
fn padded_times_and_counts_are_read() {
    let wd = Workdir::new();
    for (name, body) in [
        (
            "iso.csv",
            "ticket_id,created_at,first_response_at,agent_replies,resolved_at\n\
1, 2025-03-09T09:00:00Z ,2025-03-09T10:00:00Z , 1,2025-03-09T10:00:00Z\n\
2,2025-03-09T09:00:00Z,2025-03-09T10:00:00Z,1 ,2025-03-09T10:00:00Z\n",
        ),
        (
            "day_first.csv",
            "ticket_id,created_at,first_response_at,agent_replies,resolved_at\n\
1, 13/03/2025 09:00 ,13/03/2025 10:00 , 1,13/03/2025 10:00\n\
2,13/03/2025 09:00,13/03/2025 10:00,1 ,13/03/2025 10:00\n",
        ),
    ] {
        wd.write(name, body.as_bytes());
        let (code, out, err) = tickets(&wd, name, &["-v"]);
        assert_eq!(code, 0, "{name}: {err}");
        assert!(
            err.contains("2 rows read = 2 used + 0 rejected"),
            "{name}: {err}"
        );
        assert!(!err.contains("warning"), "{name}: {err}");
        let row = &parse_csv(&out)[0];
        assert_num(row, "responded", 2.0);
        assert_num(row, "first_response_mean_hours", 1.0);
        assert_num(row, "resolution_mean_hours", 1.0);
        assert_num(row, "replies_per_resolution", 1.0);
    }
}

/// In a column of epoch seconds, a number of fewer than 9 digits (`0`, a placeholder
/// for never; `-100`) is rejected as one of fewer than 11 is among milliseconds: read
/// as 1970 it made a 55-year first response.
#[test]
fn short_numbers_among_epoch_seconds_are_rejected() {
    let wd = Workdir::new();
    wd.write(
        "z.csv",
        b"ticket_id,created_at,first_response_at\nT1,1740823200,1740823260\nT2,0,1740823260\n\
T3,-100,1740823260\nT4,1740823200,1740823320\nT5,1740823200,1740823380\n",
    );
    // And so under --date-format %s, which reads 9 and 10 digits either side of 1970.
    for given in [&[][..], &["--date-format", "%s"]] {
        let (code, out, err) = tickets(&wd, "z.csv", &[&["-v"][..], given].concat());
        assert_eq!(code, 0, "{err}");
        assert!(err.contains("5 rows read = 3 used + 2 rejected"), "{err}");
        assert!(err.contains("column 'created_at', value '0'"), "{err}");
        // Replies after 1, 2 and 3 minutes: a mean of 2 minutes.
        let row = &parse_csv(&out)[0];
        assert_num(row, "tickets", 3.0);
        assert_num(row, "first_response_mean_hours", 2.0 / 60.0);
    }
    // Mostly `0` (most tickets not solved): still a column of epochs, its `0`s
    // rejected (the tickets counted open); before, nothing read it.
    wd.write(
        "solved.csv",
        b"ticket_id,created_at,solved_at\nT1,1740823200,1740830400\nT2,1740823200,0\nT3,1740823200,0\n",
    );
    let (code, out, err) = tickets(&wd, "solved.csv", &[]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("2 rejected: unparseable timestamp in resolved_at"),
        "{err}"
    );
    let row = &parse_csv(&out)[0];
    assert_num(row, "resolved", 1.0);
    assert_num(row, "open", 2.0);
    assert_num(row, "resolution_mean_hours", 2.0);
    // A number the commands read (`1.7408232e9`) is one `inspect` finds no problem in.
    wd.write(
        "e.csv",
        b"ticket_id,created_at,first_response_at\nT1,1740823200,1740823260\nT2,1.7408232e9,1740823260\n",
    );
    let out = wd.cxm().args(["inspect", "e.csv"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("problems:\n  none found"), "{text}");
}

/// A stray text among epoch seconds is one bad value, not a format nobody knows: two
/// tickets answered after 4310 s and 600 s (mean 0.681944 h), the third rejected.
/// And a reply column whose only sampled value is `pending` is read as the file's
/// other dates: one rejected value, three tickets. A file whose only date is
/// unreadable still stops and asks for --date-format.
#[test]
fn a_few_unreadable_times_are_rejected_not_a_stop() {
    let wd = Workdir::new();
    wd.write(
        "epoch.csv",
        b"ticket_id,created_at,first_response_at\n\
1,1741510675,1741514985\n\
2,1741510000,1741510600\n\
3,oops,1741510600\n",
    );
    let (code, out, err) = tickets(&wd, "epoch.csv", &["-v"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("3 rows read = 2 used + 1 rejected"), "{err}");
    assert!(err.contains("value 'oops'"), "{err}");
    assert_num(&parse_csv(&out)[0], "first_response_mean_hours", 0.6819);
    wd.write(
        "pending.csv",
        b"ticket_id,created_at,first_response_at\n\
1,2025-03-09T09:00:00Z,\n\
2,2025-03-09T10:00:00Z,pending\n\
3,2025-03-09T11:00:00Z,\n",
    );
    let (code, out, err) = tickets(&wd, "pending.csv", &[]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("1 rejected: unparseable timestamp in first_response_at"),
        "{err}"
    );
    let row = &parse_csv(&out)[0];
    assert_num(row, "tickets", 3.0);
    assert_num(row, "responded", 0.0);
    // Still a stop: a file whose only date is unreadable; a column no format reads
    // beside one that reads, when it is filled (two of two rows); one epoch-looking
    // value among texts no format reads.
    for (name, body) in [
        ("alone.csv", "ticket_id,created_at\n1,oops\n"),
        (
            "filled.csv",
            "ticket_id,created_at,resolved_at\n\
1,09.03.2025 10h00,2025-03-09T12:00:00Z\n\
2,10.03.2025 10h00,2025-03-10T12:00:00Z\n",
        ),
        (
            "one_epoch.csv",
            "ticket_id,created_at\n1,09.03.2025 10h00\n2,09.03.2025 10h00\n\
3,1741597200\n4,10.03.2025 10h00\n5,11.03.2025 10h00\n",
        ),
    ] {
        wd.write(name, body.as_bytes());
        let (code, _, err) = tickets(&wd, name, &[]);
        assert_eq!(code, 3, "{name}: {err}");
        assert!(err.contains("give --date-format"), "{name}: {err}");
    }
}

/// With `--date-format`, a few stray values beside dates the format reads are rejected
/// as without it, not a stop: one `pending` in a resolution column otherwise blank.
#[test]
fn a_date_format_leaves_a_few_stray_values_to_be_rejected() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket_id,created_at,resolved_at\n1,2025-03-01T10:00:00Z,pending\n2,2025-03-02T10:00:00Z,\n",
    );
    let (code, out, err) = tickets(&wd, "t.csv", &["--date-format", "%Y-%m-%dT%H:%M:%S%z"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("1 rejected: unparseable timestamp in resolved_at"),
        "{err}"
    );
    assert_num(&parse_csv(&out)[0], "tickets", 2.0);
}

/// Milliseconds since 1970 (13 digits) are detected: 1743294600000 is
/// 2025-03-30 00:30:00 UTC, and the reply at 1743296400500 comes 1,800.5 s later,
/// 30.0083 minutes. `--date-format '%s%3f'` reads them too; `%s` would read them as
/// years past 5000, so it stops (exit 3) and points to `%s%3f`, where every row used
/// to be rejected with exit 0.
#[test]
fn epoch_milliseconds_are_read_and_seconds_do_not_misread_them() {
    let wd = Workdir::new();
    wd.write(
        "ms.csv",
        b"ticket_id,created_at,first_response_at\n\
          A,1743294600000,1743296400500\nB,1743294700000,\nC,1743294800000,\n",
    );
    for args in [&[][..], &["--date-format", "%s%3f"][..]] {
        let (code, out, err) = tickets(
            &wd,
            "ms.csv",
            &[&["--every", "day", "--time-unit", "minutes"], args].concat(),
        );
        assert_eq!(code, 0, "{args:?}: {err}");
        let rows = parse_csv(&out);
        assert_eq!(rows[0]["period"], "2025-03-30", "{args:?}");
        assert_eq!(rows[0]["tickets"], "3");
        assert_num(&rows[0], "first_response_mean_minutes", 1800.5 / 60.0);
    }
    // So does `%s%.f` (seconds and their fraction), on them and on pandas'
    // `1743294600000.0`; `%s%3f` reads those.
    for format in ["%s", "%s%.f"] {
        let (code, _, err) = tickets(&wd, "ms.csv", &["--date-format", format]);
        assert_eq!(code, 3, "{format}: {err}");
        assert!(err.contains("--date-format '%s%3f'"), "{format}: {err}");
    }
    wd.write(
        "pandas.csv",
        b"ticket_id,created_at\nA,1743294600000.0\nB,1743294700000.0\n",
    );
    let (code, _, err) = tickets(&wd, "pandas.csv", &["--date-format", "%s%.f"]);
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("--date-format '%s%3f'"), "{err}");
    let (code, out, err) = tickets(
        &wd,
        "pandas.csv",
        &["--date-format", "%s%3f", "--every", "day"],
    );
    assert_eq!(code, 0, "{err}");
    let rows = parse_csv(&out);
    assert_eq!(
        (rows[0]["period"].as_str(), rows[0]["tickets"].as_str()),
        ("2025-03-30", "2")
    );
    // Seconds (10 digits) among milliseconds are a rejected value, not January 1970.
    wd.write(
        "mix.csv",
        b"ticket_id,created_at\n1,1740823200000\n2,1740826800000\n3,1740909600\n",
    );
    let (code, out, err) = tickets(&wd, "mix.csv", &["--every", "year"]);
    assert_eq!(code, 0, "{err}");
    let rows = parse_csv(&out);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(
        (rows[0]["period"].as_str(), rows[0]["tickets"].as_str()),
        ("2025", "2")
    );
    assert!(err.contains("1 rejected: unparseable timestamp"), "{err}");
}

/// BigQuery writes `2025-03-09 10:00:00 UTC`: detected as UTC, so in Berlin the
/// 23:30 UTC ticket falls on the 10th (00:30 local) and its reply 90 min later; a
/// `--date-format` ending in ` UTC` reads the text as UTC too, not as Berlin time.
#[test]
fn bigquery_utc_suffix_is_utc() {
    let wd = Workdir::new();
    wd.write(
        "bq.csv",
        b"ticket_id,created_at,first_response_at\n\
          A,2025-03-09 23:30:00 UTC,2025-03-10 01:00:00 UTC\n",
    );
    for args in [&[][..], &["--date-format", "%Y-%m-%d %H:%M:%S UTC"][..]] {
        let (code, out, err) = tickets(
            &wd,
            "bq.csv",
            &[&["--tz", "Europe/Berlin", "--every", "day"], args].concat(),
        );
        assert_eq!(code, 0, "{args:?}: {err}");
        let rows = parse_csv(&out);
        assert_eq!(rows[0]["period"], "2025-03-10", "{args:?}");
        assert_num(&rows[0], "first_response_mean_hours", 1.5);
    }
}

/// One column mixing BigQuery's ` UTC`, `Z`, an offset and RFC 3339's lower-case
/// `t`/`z`: every value read, whichever form the column was detected as. By hand,
/// each ticket is created at 10:00 UTC and answered 30, 60, 90 and 120 min later:
/// a mean of 75 min; none rejected.
#[test]
fn utc_spellings_mix_in_a_column() {
    let wd = Workdir::new();
    for (name, created) in [
        ("mostly_utc.csv", "2025-03-09 10:00:00 UTC"),
        ("mostly_z.csv", "2025-03-09T10:00:00Z"),
    ] {
        let text = format!(
            "ticket_id,created_at,first_response_at\n\
             A,{created},2025-03-09 10:30:00 UTC\n\
             B,{created},2025-03-09T11:00:00Z\n\
             C,{created},2025-03-09t11:30:00z\n\
             D,{created},2025-03-09 13:00:00 +01:00\n"
        );
        wd.write(name, text.as_bytes());
        let (code, out, err) = tickets(&wd, name, &["--tz", "Europe/Berlin"]);
        assert_eq!(code, 0, "{name}: {err}");
        assert!(!err.contains("rejected"), "{name}: {err}");
        let rows = parse_csv(&out);
        assert_eq!(rows[0]["responded"], "4", "{name}");
        assert_num(&rows[0], "first_response_mean_hours", 1.25);
    }
}

/// Epochs as pandas writes an integer column beside gaps, `1740823200000.0`: read as
/// the integers (the reply 30 min after, in milliseconds; 1,800.5 s after, in
/// seconds with a fraction), and a 10-digit value among milliseconds rejected.
#[test]
fn epochs_written_as_floats_are_read() {
    let wd = Workdir::new();
    wd.write(
        "ms.csv",
        b"ticket_id,created_at,first_response_at\n\
          A,1740823200000.0,1740825000000.0\nB,1740826800000.0,\nC,1740909600,\n",
    );
    let (code, out, err) = tickets(&wd, "ms.csv", &["--every", "day"]);
    assert_eq!(code, 0, "{err}");
    let rows = parse_csv(&out);
    assert_eq!(
        (rows[0]["period"].as_str(), rows[0]["tickets"].as_str()),
        ("2025-03-01", "2")
    );
    assert_num(&rows[0], "first_response_mean_hours", 0.5);
    assert!(err.contains("value '1740909600'"), "{err}");
    wd.write(
        "s.csv",
        b"ticket_id,created_at,first_response_at\nA,1740823200.0,1740825000.5\nB,1740826800,\n",
    );
    let (code, out, err) = tickets(&wd, "s.csv", &["--time-unit", "seconds"]);
    assert_eq!(code, 0, "{err}");
    assert_num(&parse_csv(&out)[0], "first_response_mean_seconds", 1800.5);
}

/// ISO 8601 to the minute with its zone (`2025-01-01T10:00Z`, `…T23:30+01:00`) is
/// read: the second ticket is created at 22:30 UTC and answered an hour later.
#[test]
fn iso_times_to_the_minute_with_a_zone_are_read() {
    let wd = Workdir::new();
    wd.write(
        "m.csv",
        b"ticket_id,created_at,first_response_at\n\
          1,2025-01-01T10:00Z,2025-01-01T10:30Z\n\
          2,2025-01-01T23:30+01:00,2025-01-02T00:30+01:00\n",
    );
    let (code, out, err) = tickets(&wd, "m.csv", &["--per-ticket", "--time-unit", "minutes"]);
    assert_eq!(code, 0, "{err}");
    let rows = parse_csv(&out);
    assert_eq!(rows[1]["created_at"], "2025-01-01T22:30:00Z");
    assert_num(&rows[0], "first_response_minutes", 30.0);
    assert_num(&rows[1], "first_response_minutes", 60.0);
}

/// The same with a space between date and time, the offset after another space or
/// none (`2025-03-01 10:00 +05:00`, `…10:00+0530`, `…10:00Z`): ticket 1 is created
/// at 05:00 UTC and answered at 06:30 UTC (90 minutes); ticket 2 at 03:30 UTC and
/// answered at 04:00 UTC (30 minutes); ticket 3 at 08:00 UTC, answered 15 minutes
/// later.
#[test]
fn times_to_the_minute_with_a_space_and_a_zone_are_read() {
    let wd = Workdir::new();
    wd.write(
        "m.csv",
        b"ticket_id,created_at,first_response_at\n\
          1,2025-03-01 10:00 +05:00,2025-03-01 11:30 +05:00\n\
          2,2025-03-02 09:00+0530,2025-03-02 09:30+0530\n\
          3,2025-03-03 08:00Z,2025-03-03 08:15Z\n",
    );
    wd.write(
        "utc.csv",
        b"ticket_id,created_at,first_response_at\n1,2025-03-03 08:00 UTC,2025-03-03 08:15 UTC\n",
    );
    let (code, out, err) = tickets(&wd, "utc.csv", &["--per-ticket", "--tz", "Asia/Tokyo"]);
    assert_eq!(code, 0, "{err}");
    let rows = parse_csv(&out);
    assert_eq!(rows[0]["created_at"], "2025-03-03T08:00:00Z");
    assert_num(&rows[0], "first_response_hours", 0.25);
    let (code, out, err) = tickets(&wd, "m.csv", &["--per-ticket", "--time-unit", "minutes"]);
    assert_eq!(code, 0, "{err}");
    let rows = parse_csv(&out);
    assert_eq!(rows[0]["created_at"], "2025-03-01T05:00:00Z");
    assert_eq!(rows[1]["created_at"], "2025-03-02T03:30:00Z");
    assert_eq!(rows[2]["created_at"], "2025-03-03T08:00:00Z");
    assert_num(&rows[0], "first_response_minutes", 90.0);
    assert_num(&rows[1], "first_response_minutes", 30.0);
    assert_num(&rows[2], "first_response_minutes", 15.0);
}

/// Dotted dates are day-first where every date reads both ways (`04.03.2025` is 4
/// March: created 10:00, answered 11:00, 1 h), and month-first where one value can
/// only be (`03.13.2025`): then `03.01.2025` is 1 March, both tickets in March.
#[test]
fn dotted_dates_are_day_first_unless_a_value_says_otherwise() {
    let wd = Workdir::new();
    wd.write(
        "de.csv",
        b"ticket_id,created_at,first_response_at\n1,04.03.2025 10:00,04.03.2025 11:00\n",
    );
    let (code, out, err) = tickets(&wd, "de.csv", &["--per-ticket"]);
    assert_eq!(code, 0, "{err}");
    let rows = parse_csv(&out);
    assert_eq!(rows[0]["created_at"], "2025-03-04T10:00:00Z");
    assert_num(&rows[0], "first_response_hours", 1.0);
    wd.write(
        "us.csv",
        b"ticket_id,created_at\n1,03.13.2025 10:00\n2,03.01.2025 11:00\n",
    );
    let (code, out, err) = tickets(&wd, "us.csv", &["--per-ticket"]);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("rejected"), "{err}");
    let rows = parse_csv(&out);
    assert_eq!(rows[0]["created_at"], "2025-03-13T10:00:00Z");
    assert_eq!(rows[1]["created_at"], "2025-03-01T11:00:00Z");
}

/// One month-first value first in a German export does not turn it: 2,000 dates that
/// read both ways (1–10 January), then 100 that read only day-first (20.01.2025): the
/// whole file decides day-first, all 2,100 tickets fall in January, and the stray
/// `01.13.2025` alone is rejected. Beside slashes that read both ways, dotted dates
/// that read both ways still say day-first (4 March and 2 January created, resolved
/// 2 and 3 April: 696 h and 2,184 h).
#[test]
fn a_stray_month_first_value_does_not_turn_dotted_dates() {
    let wd = Workdir::new();
    let mut text = String::from("ticket_id,created_at\nX,01.13.2025 10:00\n");
    for k in 0..2000 {
        text.push_str(&format!("A{k},{:02}.01.2025 10:00\n", 1 + k % 10));
    }
    for k in 0..100 {
        text.push_str(&format!("B{k},20.01.2025 10:00\n"));
    }
    wd.write("de.csv", text.as_bytes());
    let (code, out, err) = tickets(&wd, "de.csv", &["--every", "month"]);
    assert_eq!(code, 0, "{err}");
    let rows = parse_csv(&out);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0]["period"], "2025-01");
    assert_eq!(rows[0]["tickets"], "2100");
    assert!(err.contains("1 rejected"), "{err}");
    wd.write(
        "mixed.csv",
        b"ticket_id,created_at,resolved_at\nT1,04/03/2025 10:00,02.04.2025 10:00\nT2,02/01/2025 10:00,03.04.2025 10:00\n",
    );
    let (code, out, err) = tickets(&wd, "mixed.csv", &["--per-ticket"]);
    assert_eq!(code, 0, "{err}");
    let rows = parse_csv(&out);
    assert_num(&rows[0], "resolution_hours", 696.0);
    assert_num(&rows[1], "resolution_hours", 2184.0);
    // A US file whose 2,000 first dates read both ways (03.01.2025) and a later one
    // only month-first (03.20.2025): the whole file says month-first, all 2,001 in
    // March.
    let mut us = String::from("ticket_id,created_at\n");
    for k in 0..2000 {
        us.push_str(&format!("A{k},03.01.2025\n"));
    }
    us.push_str("late,03.20.2025\n");
    wd.write("us.csv", us.as_bytes());
    let (code, out, err) = tickets(&wd, "us.csv", &["--every", "month"]);
    assert_eq!(code, 0, "{err}");
    let rows = parse_csv(&out);
    assert_eq!((rows.len(), rows[0]["period"].as_str()), (1, "2025-03"));
    assert_eq!(rows[0]["tickets"], "2001");
    // Slashes read only month-first beside dots that read both ways: one order for
    // the row, month-first (13 March to 6 May, 20 March to 7 April: 1,296 h and
    // 432 h).
    wd.write(
        "us_mix.csv",
        b"ticket_id,created_at,resolved_at\n1,03/13/2025 10:00,05.06.2025 10:00\n2,03/20/2025 10:00,04.07.2025 10:00\n",
    );
    let (code, out, err) = tickets(&wd, "us_mix.csv", &["--per-ticket"]);
    assert_eq!(code, 0, "{err}");
    let rows = parse_csv(&out);
    assert_num(&rows[0], "resolution_hours", 1296.0);
    assert_num(&rows[1], "resolution_hours", 432.0);
    // Month-first dots by the hundred and one day-first stray: month-first, the stray
    // rejected.
    let mut many = String::from("ticket_id,created_at\n");
    for k in 0..100 {
        many.push_str(&format!("A{k},03.{:02}.2025\n", 13 + k % 15));
    }
    many.push_str("stray,13.03.2025\n");
    wd.write("many.csv", many.as_bytes());
    let (code, out, err) = tickets(&wd, "many.csv", &["--every", "month"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("1 rejected"), "{err}");
    let rows = parse_csv(&out);
    assert_eq!(
        (rows[0]["period"].as_str(), rows[0]["tickets"].as_str()),
        ("2025-03", "100")
    );
    // An unread column with a short year says nothing of the read ones (a version
    // number, `2.13.1`, reads as a date): German dates that read both ways stay
    // day-first (3 February 10:00 to 4 February 11:00, 25 h). One with a four-digit
    // year that reads only month-first (`03.13.2025`) says the ambiguous slashes are
    // month-first: 2 January to 3 January, 24 h.
    wd.write(
        "version.csv",
        b"ticket_id,created_at,resolved_at,app_version\n1,03.02.2025 10:00,04.02.2025 11:00,2.13.1\n",
    );
    let (code, out, err) = tickets(&wd, "version.csv", &["--per-ticket"]);
    assert_eq!(code, 0, "{err}");
    let rows = parse_csv(&out);
    assert_eq!(rows[0]["created_at"], "2025-02-03T10:00:00Z");
    assert_num(&rows[0], "resolution_hours", 25.0);
    wd.write(
        "unread.csv",
        b"ticket_id,created_at,resolved_at,due_date\n1,01/02/2025 10:00,01/03/2025 10:00,03.13.2025\n2,02/03/2025 10:00,02/04/2025 10:00,03.14.2025\n",
    );
    let (code, out, err) = tickets(&wd, "unread.csv", &["--per-ticket"]);
    assert_eq!(code, 0, "{err}");
    let rows = parse_csv(&out);
    assert_eq!(rows[0]["created_at"], "2025-01-02T10:00:00Z");
    assert_num(&rows[0], "resolution_hours", 24.0);
    // A 12-hour clock with a month's name (Jira's `04/Mar/2025 10:00 AM`) says
    // nothing of the order: the dotted dates beside it stay day-first (1 h).
    wd.write(
        "jira.csv",
        b"ticket_id,created_at,resolved_at\n1,04.03.2025 09:00,04/Mar/2025 10:00 AM\n",
    );
    let (code, out, err) = tickets(&wd, "jira.csv", &["--per-ticket"]);
    assert_eq!(code, 0, "{err}");
    assert_num(&parse_csv(&out)[0], "resolution_hours", 1.0);
    // An unread day-first date beside dates read only month-first breaks no tie:
    // 13 March 10:00 to 14 March 11:00, 25 h.
    wd.write(
        "due.csv",
        b"ticket_id,created_at,resolved_at,due\n1,03/13/2025 10:00,03/14/2025 11:00,25-04-2025\n",
    );
    let (code, out, err) = tickets(&wd, "due.csv", &["--per-ticket"]);
    assert_eq!(code, 0, "{err}");
    assert_num(&parse_csv(&out)[0], "resolution_hours", 25.0);
    // A version number that reads both ways (`2.4.11`) does not settle ambiguous
    // slashes either: they stop (exit 3), as without it.
    wd.write(
        "semver.csv",
        b"ticket_id,created_at,resolved_at,app_version\n1,03/03/2025 10:00,03/04/2025 10:00,2.4.11\n",
    );
    let (code, _, err) = tickets(&wd, "semver.csv", &[]);
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("day/month order is ambiguous"), "{err}");
    // A 12-hour clock is the US month-first form, whatever an unread column says
    // (3 March 10:00 AM to 4 March 11:00 AM: 25 h), and so is the file's other date
    // column beside it (4 March 09:00 to 10:00 AM: 1 h, not 4 March to 3 April).
    wd.write(
        "ampm.csv",
        b"ticket_id,created_at,resolved_at,app_version\n1,03/03/2025 10:00:00 AM,03/04/2025 11:00:00 AM,2.4.11\n",
    );
    let (code, out, err) = tickets(&wd, "ampm.csv", &["--per-ticket"]);
    assert_eq!(code, 0, "{err}");
    assert_num(&parse_csv(&out)[0], "resolution_hours", 25.0);
    wd.write(
        "ampm2.csv",
        b"ticket_id,created_at,resolved_at,app_version\n1,04/03/2025 09:00,04/03/2025 10:00 AM,2.4.11\n",
    );
    let (code, out, err) = tickets(&wd, "ampm2.csv", &["--per-ticket"]);
    assert_eq!(code, 0, "{err}");
    assert_num(&parse_csv(&out)[0], "resolution_hours", 1.0);
    // One month-first stray first among German dates, then ten that read only
    // day-first: ten times as many, day-first, the stray alone rejected.
    let mut de = String::from("ticket_id,created_at\nX,01.13.2025\n");
    for k in 1..2100 {
        de.push_str(&format!("A{k},{:02}.02.2025\n", 1 + k % 12));
    }
    for k in 0..10 {
        de.push_str(&format!("B{k},{:02}.02.2025\n", 13 + k));
    }
    wd.write("de10.csv", de.as_bytes());
    let (code, out, err) = tickets(&wd, "de10.csv", &["--every", "month"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("1 rejected"), "{err}");
    let rows = parse_csv(&out);
    assert_eq!(rows[0]["period"], "2025-02");
    assert_eq!(rows[0]["tickets"], "2109");
}

/// Microseconds since 1970 (16 digits) under `--date-format %s` are no milliseconds:
/// the stop does not point to `%s%3f`, which would not read them either.
#[test]
fn microseconds_are_not_sent_to_the_milliseconds_format() {
    let wd = Workdir::new();
    wd.write("us.csv", b"ticket_id,created_at\n1,1735725600000000\n");
    let (code, _, err) = tickets(&wd, "us.csv", &["--date-format", "%s"]);
    assert_eq!(code, 3, "{err}");
    assert!(
        err.contains("a number past milliseconds since 1970"),
        "{err}"
    );
    assert!(!err.contains("give --date-format '%s%3f'"), "{err}");
}

/// A window bound written as a local date-time without an offset (`date +%FT%R`) is a
/// wall-clock time in `--tz`: in Paris (UTC+1 on 1 March), `2025-03-01T12:00` is
/// 11:00Z, so the 11:30Z ticket is in and the 10:30Z one is not; with a space and
/// seconds the same. On 30 March 02:30 does not exist in Paris (the clocks go from
/// 02:00 to 03:00 CET → CEST): the bound is the gap's end, 01:00Z, whatever its
/// seconds, which the 01:00:15Z and 01:30Z tickets are after and the 00:30Z one
/// before. A fraction of a second is read too: 12:29:59.5 in Paris is before the
/// 11:30Z ticket.
#[test]
fn a_window_bound_may_be_a_local_date_time() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket_id,created_at\n1,2025-03-01T10:30:00Z\n2,2025-03-01T11:30:00Z\n3,2025-03-30T00:30:00Z\n4,2025-03-30T01:30:00Z\n5,2025-03-30T01:00:15Z\n",
    );
    for (since, until, want) in [
        ("2025-03-01T12:00", "2025-03-02", "1"),
        ("2025-03-01 12:00:00", "2025-03-02", "1"),
        ("2025-03-01T11:00", "2025-03-01T12:00", "1"),
        ("2025-03-01T12:29:59.5", "2025-03-02", "1"),
        ("2025-03-30T02:30", "2025-03-31", "2"),
        ("2025-03-30T02:30:30", "2025-03-31", "2"),
        ("2025-03-30 02:59:59", "2025-03-31", "2"),
        ("2025-03-30T01:00", "2025-03-31", "3"),
    ] {
        let (code, out, err) = tickets(
            &wd,
            "t.csv",
            &["--since", since, "--until", until, "--tz", "Europe/Paris"],
        );
        assert_eq!(code, 0, "{since}: {err}");
        assert_eq!(parse_csv(&out)[0]["tickets"], want, "{since} – {until}");
    }
}

/// An instant (`Z`) from before 1900 is rejected as out of range, not explained as a
/// local time summer time skipped (Berlin's 1893 jump was its move to CET); a local
/// time in a format with ` - ` before the hour still is (30 March 2025, 02:30).
#[test]
fn an_old_instant_is_not_called_a_summer_time_gap() {
    let wd = Workdir::new();
    wd.write(
        "old.csv",
        b"ticket_id,created_at\na,1893-04-01T00:03:00Z\nb,2025-01-01T00:00:00Z\n",
    );
    let (code, _, err) = tickets(&wd, "old.csv", &["--tz", "Europe/Berlin"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("1 rejected: unparseable timestamp"), "{err}");
    assert!(!err.contains("put forward"), "{err}");
    wd.write(
        "dash.csv",
        b"ticket_id,created_at\n1,03/29/2025 - 02:30\n2,03/30/2025 - 02:30\n",
    );
    let (code, _, err) = tickets(
        &wd,
        "dash.csv",
        &["--tz", "Europe/Berlin", "--date-format", "%m/%d/%Y - %H:%M"],
    );
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("its clocks were put forward past it"), "{err}");
    // Time first, then a date whose year follows a dash: no offset either.
    wd.write(
        "first.csv",
        b"ticket_id,created_at\n1,02:30 29-03-2025\n2,02:30 30-03-2025\n",
    );
    let (code, _, err) = tickets(
        &wd,
        "first.csv",
        &["--tz", "Europe/Berlin", "--date-format", "%H:%M %d-%m-%Y"],
    );
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("its clocks were put forward past it"), "{err}");
    // Samoa skipped 30 December 2011 whole, crossing the date line: no summer time.
    wd.write(
        "apia.csv",
        b"ticket_id,created_at\n1,2011-12-30 23:59:59\n2,2011-12-31 09:00:00\n",
    );
    let (code, _, err) = tickets(&wd, "apia.csv", &["--tz", "Pacific/Apia"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains(
            "a local time Pacific/Apia never showed (its clocks were put forward past it)"
        ),
        "{err}"
    );
    // A day-first column: `03/09/2025 02:30` (no seconds) is 3 September, which New
    // York showed; `09/03/2025 02:30` is 9 March, which it skipped.
    for (value, skipped) in [("03/09/2025 02:30", false), ("09/03/2025 02:30", true)] {
        let rows: String = std::iter::once("ticket_id,created_at\n".to_string())
            .chain((13..23).map(|d| format!("T{d},{d}/02/2025 10:00:00\n")))
            .chain(std::iter::once(format!("X,{value}\n")))
            .collect();
        wd.write("dm.csv", rows.as_bytes());
        let (code, _, err) = tickets(&wd, "dm.csv", &["--tz", "America/New_York"]);
        assert_eq!(code, 0, "{err}");
        assert!(
            err.contains("1 rejected: unparseable timestamp"),
            "{value}: {err}"
        );
        assert_eq!(
            err.contains("put forward past it"),
            skipped,
            "{value}: {err}"
        );
    }
}

/// Times are kept from 1900 to 2099 in UTC, and the reason says when a local time
/// falls outside there only: 2099-12-31 20:00 in New York is 2100-01-01 01:00 UTC,
/// 1900-01-01 00:30 in Berlin is 1899-12-31 23:30 UTC. In epoch columns, milliseconds
/// read as seconds (1735718400000 s: the year 56972, from the Gregorian calendar's
/// 400-year cycle) and 13 digits of milliseconds past 2099 (9999999999999 ms: 2286)
/// are named by their years.
#[test]
fn a_year_out_of_range_in_utc_or_as_an_epoch_is_named() {
    let wd = Workdir::new();
    wd.write(
        "edge.csv",
        b"ticket_id,created_at\nA,2099-12-31 20:00\nB,1900-01-01 00:30\nC,2025-01-01 10:00\n",
    );
    let year = |read: &str, y: &str| {
        format!("unparseable timestamp: {read}the year {y} is outside 1900–2099, where a time is taken as misread (a placeholder such as 9999-12-31, or epoch milliseconds read as seconds)")
    };
    for (tz, id, y) in [
        ("America/New_York", "A", "2100"),
        ("Europe/Berlin", "B", "1899"),
    ] {
        let out = wd
            .cxm()
            .args([
                "tickets",
                "edge.csv",
                "--tz",
                tz,
                "--rejects",
                "r.csv",
                "-q",
            ])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            rejected_reasons(&wd),
            [(id.to_string(), year("in UTC, ", y))],
            "{tz}"
        );
    }
    // 10^20 seconds is the year 1970 + 10^23 ms ÷ 31,556,952,000 ms a year (the
    // Gregorian year's mean), floored: 3168873852651, not a saturated integer.
    wd.write(
        "seconds.csv",
        b"ticket_id,created_at\nA,1735718400\nB,1735718400000\nC,99999999999999999999\n",
    );
    let out = wd
        .cxm()
        .args([
            "tickets",
            "seconds.csv",
            "--date-format",
            "%s",
            "--rejects",
            "r.csv",
            "-q",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(
        rejected_reasons(&wd),
        [
            ("B".to_string(), year("", "56972")),
            ("C".to_string(), year("", "3168873852651"))
        ]
    );
    wd.write(
        "ms.csv",
        b"ticket_id,created_at\nA,1735718400000\nB,1735722000000\nC,9999999999999\n",
    );
    let out = wd
        .cxm()
        .args(["tickets", "ms.csv", "--rejects", "r.csv", "-q"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(rejected_reasons(&wd), [("C".to_string(), year("", "2286"))]);
}

/// A no-break space around a time is padding, as a space is, at either end: three
/// tickets answered in 1 h, 2 h and 2 h (mean 5/3 h), none rejected.
#[test]
fn no_break_spaces_around_a_time_are_padding() {
    let w = Workdir::new();
    w.write(
        "t.csv",
        "ticket_id,created_at,first_response_at\nA,\u{a0}2025-01-01T00:00:00Z,2025-01-01T01:00:00Z\u{a0}\nB,2025-01-01T00:00:00Z ,2025-01-01T02:00:00Z\nC,2025-01-01T00:00:00Z\u{a0},2025-01-01T02:00:00Z\n".as_bytes(),
    );
    let (out, err) = w.csv_and_stderr(&["tickets", "t.csv", "--by", "ticket_id"]);
    let rows = parse_csv(&out);
    assert_eq!(rows.len(), 3, "{err}");
    for (r, hours) in rows.iter().zip([1.0, 2.0, 2.0]) {
        assert_num(r, "first_response_median_hours", hours);
    }
    assert!(!err.contains("rejected"), "{err}");
}

/// A vertical tab around a time is padding too, as around a number or an id, in an
/// ISO column and a local one: answered in 1 h and 3 h (it was rejected as an
/// unparseable time).
#[test]
fn vertical_tabs_around_a_time_are_padding() {
    let w = Workdir::new();
    w.write(
        "t.csv",
        b"ticket_id,created_at,first_response_at\nA,\x0b2025-01-13 01:00,13/01/2025 02:00\x0b\nB,2025-01-13 01:00\x0b,13/01/2025 04:00\n",
    );
    w.write(
        "z.csv",
        b"ticket_id,created_at,first_response_at\nA,2025-01-13T01:00:00Z,2025-01-13T02:00:00Z\x0b\nB,\x0b2025-01-13T01:00:00Z,2025-01-13T04:00:00Z\n",
    );
    for file in ["t.csv", "z.csv"] {
        let (out, err) = w.csv_and_stderr(&["tickets", file, "--by", "ticket_id"]);
        let rows = parse_csv(&out);
        assert_eq!(rows.len(), 2, "{err}");
        for (r, hours) in rows.iter().zip([1.0, 3.0]) {
            assert_num(r, "first_response_median_hours", hours);
        }
        assert!(!err.contains("rejected"), "{err}");
    }
}

/// Day-first dates with AM/PM: `13/01` reads only day-first, so `05/01` is the 5th
/// of January: 2 tickets in January, resolved in 25 h and 1 h (mean 13, p90 1 + 0.9
/// × 24 = 22.6). It was read month-first, ticket 1 in May (745 h) and ticket 2
/// rejected. Read both ways throughout, a 12-hour clock stays the US form, and a
/// stray day-first value among far more month-first ones is rejected alone.
#[test]
fn day_first_dates_with_am_pm_are_read_so() {
    let w = Workdir::new();
    w.write(
        "t.csv",
        b"ticket_id,created_at,resolved_at\n1,05/01/2025 10:00 AM,06/01/2025 11:00 AM\n2,13/01/2025 10:00 AM,13/01/2025 11:00 AM\n",
    );
    let (out, err) = w.csv_and_stderr(&["tickets", "t.csv", "--every", "month"]);
    assert!(!err.contains("rejected"), "{err}");
    let rows = parse_csv(&out);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0]["period"], "2025-01");
    assert_eq!(rows[0]["tickets"], "2");
    assert_num(&rows[0], "resolution_mean_hours", 13.0);
    assert_num(&rows[0], "resolution_p90_hours", 22.6);
    w.write(
        "us.csv",
        b"ticket_id,created_at,resolved_at\n1,05/01/2025 10:00 AM,06/01/2025 11:00 AM\n",
    );
    let (out, _) = w.csv_and_stderr(&["tickets", "us.csv", "--every", "month"]);
    let rows = parse_csv(&out);
    assert_eq!(rows[0]["period"], "2025-05");
    assert_num(&rows[0], "resolution_mean_hours", 745.0);
    // A stray `13/01` among US dates (5 read both ways, 10 only month-first) is
    // rejected alone: 15 tickets in January (it turned the file day-first, the 5th
    // of January read as May 1st, and the others rejected).
    let mut stray = String::from("ticket_id,created_at,resolved_at\n");
    for i in 0..5 {
        stray.push_str(&format!("a{i},01/05/2025 10:00 AM,01/05/2025 11:00 AM\n"));
    }
    stray.push_str("s,13/01/2025 10:00 AM,13/01/2025 11:00 AM\n");
    for i in 0..10 {
        stray.push_str(&format!("b{i},01/20/2025 10:00 AM,01/20/2025 11:00 AM\n"));
    }
    w.write("stray.csv", stray.as_bytes());
    let (out, err) = w.csv_and_stderr(&["tickets", "stray.csv", "--every", "month"]);
    assert!(
        err.contains("1 rejected: unparseable timestamp in created_at"),
        "{err}"
    );
    let rows = parse_csv(&out);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0]["tickets"], "15");
    // Nor does such a value in a column no metric reads; and a 12-hour clock there
    // makes 24-hour dates read both ways the US form (it stopped as ambiguous).
    w.write(
        "unread.csv",
        b"ticket_id,created_at,resolved_at,survey_sent\n1,01/05/2025 10:00 AM,01/05/2025 11:00 AM,13/01/2025 09:00 AM\n2,01/20/2025 10:00 AM,01/20/2025 11:00 AM,\n",
    );
    let (out, err) = w.csv_and_stderr(&["tickets", "unread.csv", "--every", "month"]);
    assert!(!err.contains("rejected"), "{err}");
    assert_eq!(parse_csv(&out)[0]["tickets"], "2");
    w.write(
        "unread12.csv",
        b"ticket_id,created_at,resolved_at,updated\n1,05/01/2025 10:00,06/01/2025 11:00,06/01/2025 11:00 AM\n2,07/01/2025 10:00,07/01/2025 11:00,07/01/2025 11:00 PM\n",
    );
    let (out, _) = w.csv_and_stderr(&["tickets", "unread12.csv", "--per-ticket"]);
    assert_num(&parse_csv(&out)[0], "resolution_hours", 745.0);
}

/// Times written as Excel's date serials (a workbook's cells not formatted as dates,
/// saved as numbers) are named as such: no `--date-format` reads them.
#[test]
fn excel_date_serials_are_named() {
    let w = Workdir::new();
    w.write(
        "t.csv",
        b"ticket_id,created_at\nA,45720.88208333333\nB,45721.5\n",
    );
    let out = w.cxm().args(["tickets", "t.csv"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(
        err.contains("they look like Excel's date serials (days since 1899-12-30)")
            && !err.contains("give --date-format"),
        "{err}"
    );
}

/// ISO 8601's `24:00`, the end of a day, is the next midnight, in UTC and in the zone
/// given (New York, the night before its clocks go forward): resolutions of 2 h from
/// 22:00; `24:00:01` is no time (rejected).
#[test]
fn twenty_four_hundred_is_the_next_midnight() {
    let w = Workdir::new();
    w.write(
        "t.csv",
        b"ticket_id,created_at,resolved_at\nA,2025-03-08 22:00:00,2025-03-08 24:00:00\nB,2025-02-28 22:00,2025-02-28 24:00\nC,2025-03-08 22:00:00,2025-03-08 24:00:01\n",
    );
    let args = [
        "tickets",
        "t.csv",
        "--by",
        "ticket_id",
        "--now",
        "2025-04-01T00:00:00Z",
    ];
    for zone in ["UTC", "America/New_York"] {
        let (out, err) = w.csv_and_stderr(&[&args[..], &["--tz", zone]].concat());
        let rows = parse_csv(&out);
        assert_eq!(rows.len(), 3, "{err}");
        assert_num(&rows[0], "resolution_mean_hours", 2.0);
        assert_num(&rows[1], "resolution_mean_hours", 2.0);
        assert_eq!(rows[2]["resolved"], "0", "{zone}");
        assert!(
            err.contains("1 rejected: unparseable timestamp in resolved_at (first at t.csv:4"),
            "{err}"
        );
    }
    // A column whose only times are 24:00 is told as midnight's format; a bound and
    // `--now` take 24:00 too: until the end of 2025-02-28 (03-01 00:00) keeps B alone.
    w.write(
        "only.csv",
        b"ticket_id,created_at,resolved_at
A,2025-03-03 23:00,2025-03-03 24:00
",
    );
    let rows = parse_csv(&w.csv_and_stderr(&["tickets", "only.csv"]).0);
    assert_num(&rows[0], "resolution_mean_hours", 1.0);
    let bounded = [
        &args[..],
        &["--since", "2025-02-28", "--until", "2025-02-28T24:00"],
    ]
    .concat();
    let rows = parse_csv(&w.csv_and_stderr(&bounded).0);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["ticket_id"], "B");
    // A dotted date reads no hour 24: a column of them alone still stops (exit 3).
    w.write(
        "dotted.csv",
        b"ticket_id,created_at\nT1,13.03.2025 24:00\nT2,14.03.2025 24:00\n",
    );
    let out = w.cxm().args(["tickets", "dotted.csv"]).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    let now = ["tickets", "only.csv", "--now", "2025-03-03T24:00:00Z"];
    let rows = parse_csv(&w.csv_and_stderr(&now).0);
    assert_num(&rows[0], "resolved", 1.0);
    // The end of 2099 is 2100, past the times read: its reject says so, as
    // `2100-01-01T00:00:00Z`'s does; an hour east of UTC it is 2099 still, and read.
    w.write(
        "late.csv",
        b"ticket_id,created_at\nT1,2099-12-31T24:00:00Z\nT2,2099-12-31T24:00:00+01:00\n",
    );
    let (_, err) = w.csv_and_stderr(&["tickets", "late.csv"]);
    assert!(
        err.contains("1 rejected: unparseable timestamp in created_at (first at late.csv:2, column 'created_at', value '2099-12-31T24:00:00Z': in UTC, the year 2100 is outside 1900–2099"),
        "{err}"
    );
}

/// A leap second (`23:59:60`) is the next minute, also written without an offset in
/// a column whose other times carry one (it was rejected there): read on the zone's
/// clock, as the column's other offset-less times are. T2 opened at 23:00 and was
/// answered at 23:59:60, midnight: 1 h in UTC and in Berlin.
#[test]
fn a_leap_second_without_an_offset_among_instants_reads() {
    let w = Workdir::new();
    w.write(
        "t.csv",
        b"ticket_id,created_at,first_response_at\nT1,2025-06-30T10:00:00Z,2025-06-30T10:30:00Z\nT2,2025-06-30T23:00:00,2025-06-30T23:59:60\n",
    );
    for zone in ["UTC", "Europe/Berlin"] {
        let args = ["tickets", "t.csv", "--by", "ticket_id", "--tz", zone];
        let (out, err) = w.csv_and_stderr(&args);
        let rows = parse_csv(&out);
        assert_eq!(rows.len(), 2, "{err}");
        assert_num(&rows[0], "first_response_mean_hours", 0.5);
        assert_num(&rows[1], "first_response_mean_hours", 1.0);
        assert!(!err.contains("rejected"), "{err}");
    }
    // With a space for the `T`: created at midnight, answered a minute later.
    w.write(
        "spaced.csv",
        b"ticket_id,created_at,first_response_at\nA,2016-12-31T23:59:50Z,2017-01-01T00:01:00Z\nC,2016-12-31 23:59:60,2017-01-01T00:01:00Z\n",
    );
    let args = [
        "tickets",
        "spaced.csv",
        "--by",
        "ticket_id",
        "--time-unit",
        "seconds",
    ];
    let (out, err) = w.csv_and_stderr(&args);
    let rows = parse_csv(&out);
    assert_eq!(rows.len(), 2, "{err}");
    assert_num(&rows[1], "first_response_mean_seconds", 60.0);
    // In another form than the column's: `…T23:59:60Z` among local times, and
    // `23:59:60 UTC` or `23:59:60.5Z` among `…Z` times. Opened at 21:00 UTC, each
    // answered at midnight (and half a second): 3 h.
    w.write(
        "forms.csv",
        b"ticket_id,created_at,first_response_at\nA,2016-12-31 21:00:00,2016-12-31 22:00:00\nL,2016-12-31 21:00:00,2016-12-31T23:59:60Z\n",
    );
    let args = [
        "tickets",
        "forms.csv",
        "--by",
        "ticket_id",
        "--time-unit",
        "seconds",
    ];
    let rows = parse_csv(&w.csv_and_stderr(&args).0);
    assert_num(&rows[1], "first_response_mean_seconds", 10800.0);
    w.write(
        "forms.csv",
        b"ticket_id,created_at,first_response_at\nA,2016-12-31T21:00:00Z,2016-12-31T22:00:00Z\nL,2016-12-31T21:00:00Z,2016-12-31 23:59:60 UTC\nM,2016-12-31T21:00:00Z,2016-12-31 23:59:60.5Z\n",
    );
    let rows = parse_csv(&w.csv_and_stderr(&args).0);
    assert_num(&rows[1], "first_response_mean_seconds", 10800.0);
    assert_num(&rows[2], "first_response_mean_seconds", 10800.5);
    // Where New York's clocks go back (01:00–02:00 twice on 2016-11-06), 01:59:60 is
    // 02:00 on the clock, 07:00 UTC, in either form: 180 min after 04:00 UTC (the
    // first 01:59:59 a second later would be 06:00 UTC).
    w.write(
        "ny.csv",
        b"ticket_id,created_at,first_response_at\nT1,2016-11-06T04:00:00Z,2016-11-06 00:30:00\nT2,2016-11-06T04:00:00Z,2016-11-06 00:40:00\nT3,2016-11-06T04:00:00Z,2016-11-06 01:59:60\nT4,2016-11-06T04:00:00Z,2016-11-06T01:59:60\n",
    );
    let args = [
        "tickets",
        "ny.csv",
        "--by",
        "ticket_id",
        "--time-unit",
        "minutes",
        "--tz",
        "America/New_York",
    ];
    let rows = parse_csv(&w.csv_and_stderr(&args).0);
    assert_num(&rows[2], "first_response_mean_minutes", 180.0);
    assert_num(&rows[3], "first_response_mean_minutes", 180.0);
}

/// The 2,000 sampled rows tell the day/month order only where they say it firmly:
/// ten times as many values read only one way as the other, and ten at least.
/// Else the whole file decides, month- or day-first where ten times as many values
/// read only so (the others rejected one by one), stopping where both show alike.
#[test]
fn a_stray_value_in_the_sample_leaves_the_order_to_the_whole_file() {
    let w = Workdir::new();
    // US dates, 24-hour clock: the sample's dates are all in the first twelve days
    // but one stray `13/01`; thirty after it read only month-first (January 20th).
    let file = |head: &str, strays: &str, tail: &str, m: usize| {
        let mut s = String::from("ticket_id,created_at,resolved_at\n");
        for i in 0..2000 {
            s.push_str(&format!("a{i},{head},{head}\n"));
            if i == 999 {
                s.push_str(strays);
            }
        }
        for i in 0..m {
            s.push_str(&format!("b{i},{tail},{tail}\n"));
        }
        s
    };
    let us = file(
        "01/05/2025 10:00",
        "s,13/01/2025 10:00,13/01/2025 11:00\n",
        "01/20/2025 10:00",
        30,
    );
    w.write("us.csv", us.as_bytes());
    let (out, err) = w.csv_and_stderr(&["tickets", "us.csv", "--every", "month"]);
    assert!(
        err.contains("1 rejected: unparseable timestamp in created_at"),
        "{err}"
    );
    let rows = parse_csv(&out);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0]["period"], "2025-01");
    assert_eq!(rows[0]["tickets"], "2030");
    // A 12-hour clock alike the other way round: one `01/13` among UK dates.
    let uk = file(
        "05/01/2025 10:00 AM",
        "s,01/13/2025 10:00 AM,01/13/2025 11:00 AM\n",
        "20/01/2025 10:00 AM",
        30,
    );
    w.write("uk.csv", uk.as_bytes());
    let (out, err) = w.csv_and_stderr(&["tickets", "uk.csv", "--every", "month"]);
    assert!(
        err.contains("1 rejected: unparseable timestamp in created_at"),
        "{err}"
    );
    let rows = parse_csv(&out);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0]["period"], "2025-01");
    assert_eq!(rows[0]["tickets"], "2030");
    // Three day-first rows in the sample (too few to tell), twenty month-first after:
    // neither is ten times the other, so the run stops and shows one of each (two
    // columns' values).
    let strays = "s0,13/01/2025 10:00,13/01/2025 11:00\n".repeat(3);
    let mixed = file("01/05/2025 10:00", &strays, "01/20/2025 10:00", 20);
    w.write("mixed.csv", mixed.as_bytes());
    let out = w.cxm().args(["tickets", "mixed.csv"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(
        err.contains("40 values read only month-first (e.g. line 2005: '01/20/2025 10:00') and 6 only day-first (e.g. line 1002: '13/01/2025 10:00')"),
        "{err}"
    );
    // A stray in a column no metric reads breaks no firm order (it turned the file
    // day-first), nor one in a second read column beside a first's firm dates (it
    // stopped the run).
    let mut unread = String::from("ticket_id,created_at,resolved_at,due_date\n");
    for i in 0..2000 {
        let due = if i == 1000 {
            "13/01/2025"
        } else {
            "01/06/2025"
        };
        unread.push_str(&format!("a{i},01/05/2025 10:00,01/05/2025 11:00,{due}\n"));
    }
    for i in 0..30 {
        unread.push_str(&format!(
            "b{i},01/20/2025 10:00,01/20/2025 12:00,01/21/2025\n"
        ));
    }
    w.write("unread.csv", unread.as_bytes());
    let (out, err) = w.csv_and_stderr(&["tickets", "unread.csv", "--every", "month"]);
    assert!(!err.contains("rejected"), "{err}");
    let rows = parse_csv(&out);
    assert_eq!(rows[0]["period"], "2025-01");
    assert_eq!(rows[0]["tickets"], "2030");
    // (2,000 × 1 h + 30 × 2 h) / 2,030.
    assert_num(&rows[0], "resolution_mean_hours", 2060.0 / 2030.0);
    let mut second = String::from("ticket_id,created_at,resolved_at\n");
    for i in 0..40 {
        second.push_str(&format!("a{i},01/20/2025 10:00,01/20/2025 11:00\n"));
    }
    second.push_str("s,01/05/2025 10:00,13/01/2025 10:00\n");
    w.write("second.csv", second.as_bytes());
    let (out, err) = w.csv_and_stderr(&["tickets", "second.csv", "--every", "month"]);
    assert!(
        err.contains("1 rejected: unparseable timestamp in resolved_at"),
        "{err}"
    );
    assert_eq!(parse_csv(&out)[0]["tickets"], "41");
}

/// Month names as a German, French or Spanish Jira account exports them
/// (`14/Mär/25 9:00 AM`, `févr.`, `dic`): each read as its month, as English ones
/// are. By hand: one ticket a month, March, May, October, December (German); February
/// and July (French); December (Spanish); each resolved 90 minutes after creation.
#[test]
fn month_names_in_other_languages_are_read() {
    let wd = Workdir::new();
    wd.write(
        "de.csv",
        "ticket_id,created_at,resolved_at\n\
         1,14/Mär/25 9:00 AM,14/Mär/25 10:30 AM\n\
         2,02/Mai/25 11:00 PM,03/Mai/25 12:30 AM\n\
         3,31/Okt/25 1:00 PM,31/Okt/25 2:30 PM\n\
         4,01/Dez/25 8:00 AM,01/Dez/25 9:30 AM\n"
            .as_bytes(),
    );
    wd.write(
        "fr.csv",
        "ticket_id,created_at,resolved_at\n\
         5,03/févr./25 9:00 AM,03/févr./25 10:30 AM\n\
         6,15/juil./25 4:00 PM,15/juil./25 5:30 PM\n"
            .as_bytes(),
    );
    wd.write(
        "es.csv",
        "ticket_id,created_at,resolved_at\n7,09/dic/25 9:00 AM,09/dic/25 10:30 AM\n".as_bytes(),
    );
    let (code, out, err) = tickets(
        &wd,
        "de.csv",
        &[
            "fr.csv",
            "es.csv",
            "--every",
            "month",
            "--time-unit",
            "minutes",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("rejected"), "{err}");
    let rows = parse_csv(&out);
    let got: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r["period"].as_str(), r["tickets"].as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("2025-02", "1"),
            ("2025-03", "1"),
            ("2025-05", "1"),
            ("2025-07", "1"),
            ("2025-10", "1"),
            ("2025-12", "2"),
        ]
    );
    for r in &rows {
        assert_num(r, "resolution_mean_minutes", 90.0);
    }
    // A dot the pattern writes after the month is the pattern's: `14.Jan.2025` and a
    // German `14.Okt.2025` under `%d.%b.%Y`, `Jan. 5 2025` under `%b. %d %Y` (a
    // month's closing dot taken off had them read nothing).
    wd.write(
        "dots.csv",
        b"ticket_id,created_at,resolved_at\n1,14.Jan.2025 09:00,14.Jan.2025 10:30\n2,14.Okt.2025 09:00,14.Okt.2025 10:30\n",
    );
    wd.write(
        "ap.csv",
        b"ticket_id,created_at,resolved_at\n1,Jan. 5 2025 09:00,Jan. 5 2025 10:30\n",
    );
    // French abbreviations keep their own dot before the pattern's (`janv.` then
    // `.`), `mars` has none.
    wd.write(
        "fr_dots.csv",
        "ticket_id,created_at,resolved_at\n1,14.janv..2025 09:00,14.janv..2025 10:30\n2,14.mars.2025 09:00,14.mars.2025 10:30\n".as_bytes(),
    );
    for (file, pattern, count) in [
        ("dots.csv", "%d.%b.%Y %H:%M", "2"),
        ("ap.csv", "%b. %d %Y %H:%M", "1"),
        ("fr_dots.csv", "%d.%b.%Y %H:%M", "2"),
    ] {
        let (code, out, err) = tickets(
            &wd,
            file,
            &["--date-format", pattern, "--time-unit", "minutes"],
        );
        assert_eq!(code, 0, "{err}");
        let rows = parse_csv(&out);
        assert_eq!(rows[0]["tickets"], count, "{err}");
        assert_eq!(rows[0]["resolved"], count, "{err}");
        assert_num(&rows[0], "resolution_mean_minutes", 90.0);
    }
}
