//! Exit codes and messages (SPEC §3: 2 usage, 3 input data).

use predicates::prelude::*;

use crate::common::{fixture, Workdir};

#[test]
fn missing_required_column_names_it_and_the_headers() {
    Workdir::new()
        .cxm()
        .args(["tickets", &fixture("tickets/no_created.csv")])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("required field 'created_at'"))
        .stderr(predicate::str::contains(
            "headers found: ticket_id, opened, team",
        ))
        .stderr(predicate::str::contains("--map created_at=COLUMN"));
}

#[test]
fn unparseable_timestamps_are_rejected_with_file_line_and_column() {
    // B2's created_at (line 3) makes the row unusable; B3's first response (line 4)
    // is rejected but B3 still counts as a ticket.
    let wd = Workdir::new();
    let out = wd
        .cxm()
        .args([
            "tickets",
            &fixture("tickets/bad_timestamp.csv"),
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("unparseable timestamp in created_at (first at ")
            && stderr.contains("bad_timestamp.csv:3, column 'created_at', value 'soon'"),
        "{stderr}"
    );
    assert!(
        stderr.contains("bad_timestamp.csv:4, column 'first_response_at', value 'later'"),
        "{stderr}"
    );
    let rows = crate::common::parse_csv(&out.stdout);
    assert_eq!(
        (rows[0]["tickets"].as_str(), rows[0]["responded"].as_str()),
        ("2", "1")
    );
    // --strict turns them into exit 3; --quiet silences the warnings
    wd.cxm()
        .args(["tickets", &fixture("tickets/bad_timestamp.csv"), "--strict"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("bad_timestamp.csv:3"));
    wd.cxm()
        .args(["tickets", &fixture("tickets/bad_timestamp.csv"), "-q"])
        .assert()
        .success()
        .stderr("");
}

#[test]
fn negative_durations_are_counted_and_reported() {
    Workdir::new()
        .cxm()
        .args(["tickets", &fixture("tickets/basic.csv")])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "1 rejected: negative duration in first_response_at (first at ",
        ))
        .stderr(predicate::str::contains(
            "basic.csv:8, column 'first_response_at'",
        ));
}

/// One column that reads only day-first (`25/03`) and another only month-first
/// (`03/25`), each firmly (ten values): `01/02/2025` in the last row would be read two
/// ways in one ticket, so the run stops and names both columns with the value that
/// proves each order.
#[test]
fn columns_of_opposite_day_month_orders_are_an_error() {
    let wd = Workdir::new();
    let mut t = String::from("ticket_id,created_at,first_response_at\n");
    for i in 0..10 {
        t.push_str(&format!(
            "{i},{}/03/2025 09:00,03/{}/2025 10:00\n",
            20 + i,
            20 + i
        ));
    }
    t.push_str("x,01/02/2025 09:00,01/02/2025 10:00\n");
    wd.write("t.csv", t.as_bytes());
    wd.cxm()
        .args(["tickets", "t.csv"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "t.csv: the dates mix day/month orders: column 'created_at' (created_at) reads only %d/%m/%Y %H:%M (e.g. '20/03/2025 09:00') and column 'first_response_at' (first_response_at) reads only %m/%d/%Y %H:%M (e.g. '03/20/2025 10:00')",
        ));
}

/// The ambiguous order's example is a value that reads both ways, not an ISO date
/// among them (which reads one way).
#[test]
fn the_ambiguous_orders_example_reads_both_ways() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket_id,created_at\nC0,2025-01-05 09:00:00\nX0,03/02/2025 09:00\nX1,04/03/2025 10:00\n",
    );
    wd.cxm()
        .args(["tickets", "t.csv"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "every date (e.g. created_at like '03/02/2025 09:00') reads both as day-first and as month-first",
        ));
}

#[test]
fn ambiguous_day_month_order_is_an_error() {
    Workdir::new()
        .cxm()
        .args(["tickets", &fixture("tickets/ambiguous.csv")])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("day/month order is ambiguous"));
    // --date-format settles it: 01/02 and 03/04 day-first are February and April
    let rows = crate::common::csv_rows(&[
        "tickets",
        &fixture("tickets/ambiguous.csv"),
        "--date-format",
        "%d/%m/%Y %H:%M",
        "--every",
        "month",
    ]);
    let got: Vec<&str> = rows.iter().map(|r| r["period"].as_str()).collect();
    assert_eq!(got, vec!["2025-02", "2025-04"]);
}

/// The ambiguity error suggests the column's own shape: dates alone get date
/// patterns, and the suggestion, given back, reads them day-first: A from 1 February
/// (new in Q1), B from 3 April to 5 June (new in Q2, gone by its end: not churned,
/// since it was not there at Q2's start), so Q2 ends with A alone.
#[test]
fn the_ambiguity_hint_fits_a_date_column() {
    let wd = Workdir::new();
    wd.write(
        "s.csv",
        b"customer_id,start_date,end_date,mrr\nA,01/02/2025,,5\nB,03/04/2025,05/06/2025,5\n",
    );
    let out = wd.cxm().args(["churn", "s.csv"]).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("'%d/%m/%Y' or '%m/%d/%Y'"), "{err}");
    let rows = wd.csv_rows(&[
        "churn",
        "s.csv",
        "--date-format",
        "%d/%m/%Y",
        "--since",
        "2025-01-01",
        "--until",
        "2025-07-01",
        "--every",
        "quarter",
    ]);
    assert_eq!(rows[0]["new_customers"], "1", "{rows:?}");
    assert_eq!(rows[1]["new_customers"], "1", "{rows:?}");
    assert_eq!(rows[1]["churned"], "0", "{rows:?}");
    assert_eq!(rows[1]["customers_end"], "1", "{rows:?}");
}

#[test]
fn usage_errors_exit_2() {
    let wd = Workdir::new();
    wd.cxm()
        .args(["tickets", &fixture("tickets/basic.csv"), "--frobnicate"])
        .assert()
        .code(2);
    wd.cxm()
        .args([
            "tickets",
            &fixture("tickets/basic.csv"),
            "--every",
            "fortnight",
        ])
        .assert()
        .code(2);
    wd.cxm()
        .args([
            "tickets",
            &fixture("tickets/basic.csv"),
            "--tz",
            "Mars/Base",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown time zone 'Mars/Base'"));
    wd.cxm()
        .args([
            "tickets",
            &fixture("tickets/basic.csv"),
            "--period",
            "last-fortnight",
        ])
        .assert()
        .code(2);
    wd.cxm()
        .args(["tickets", &fixture("tickets/basic.csv"), "--sla", "soon"])
        .assert()
        .code(2);
    wd.cxm()
        .args([
            "tickets",
            &fixture("tickets/basic.csv"),
            "--map",
            "nonsense=ticket_id",
        ])
        .assert()
        .code(2);
}

#[test]
fn unreadable_and_empty_files_exit_3() {
    let wd = Workdir::new();
    wd.cxm()
        .args(["tickets", "does-not-exist.csv"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("does-not-exist.csv"));
    let empty = wd.write("empty.csv", b"");
    wd.cxm()
        .args(["tickets", empty.to_str().unwrap()])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("empty"));
    wd.cxm()
        .args(["tickets", &fixture("tickets/basic.csv"), "--by", "region"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("--by region"));
}

#[test]
fn header_only_file_gives_zero_tickets() {
    let wd = Workdir::new();
    let f = wd.write("h.csv", b"ticket_id,created_at\n");
    let out = wd
        .cxm()
        .args(["tickets", f.to_str().unwrap(), "--format", "csv"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(crate::common::parse_csv(&out.stdout)[0]["tickets"], "0");
}

/// `--strict` names every kind of rejected value, not the first five: here seven
/// (an MRR that is no number, line 2; an impossible date, 3; a negative MRR, 4; no
/// start, 5; no customer, 6; an end before the start, 7; an unreadable end, 8).
#[test]
fn strict_names_every_kind_of_reject() {
    let wd = crate::common::Workdir::new();
    wd.write(
        "s.csv",
        b"customer_id,start_date,end_date,mrr\nA,2025-01-05,,abc\nB,2025-02-30,,10\nC,2025-01-05,,-5\nE,,,10\n,2025-01-05,,10\nG,2025-01-05,2025-01-04,10\nH,2025-01-05,2025-13-01,10\nI,2025-01-05,,5\n",
    );
    let out = wd
        .cxm()
        .args(["churn", "s.csv", "--period", "2025-Q1", "--strict"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("7 kind(s)"), "{err}");
    for line in 2..=8 {
        assert!(
            err.contains(&format!("s.csv:{line}")),
            "line {line}:\n{err}"
        );
    }
}

/// A `--date-format` that is no pattern is a usage error (exit 2); one that reads
/// none of a column's values stops like a column no format fits (exit 3), instead of
/// rejecting every row and reporting zeros.
#[test]
fn a_date_format_that_reads_nothing_stops() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket_id,created_at\nA,05/01/2022 12:00:03 AM\nB,05/01/2022 01:07:46 PM\n",
    );
    for bad in ["%Q", "", "abc"] {
        wd.cxm()
            .args(["tickets", "t.csv", "--date-format", bad])
            .assert()
            .code(2);
    }
    let out = wd
        .cxm()
        .args(["tickets", "t.csv", "--date-format", "%Y-%m-%d"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("reads none of its values") && err.contains("t.csv"),
        "{err}"
    );
    let rows = wd.csv_rows(&["tickets", "t.csv", "--date-format", "%m/%d/%Y %I:%M:%S %p"]);
    assert_eq!(rows[0]["tickets"], "2");
    // A clock time's pattern that reads only the dates alone of a column of times
    // (seconds asked for, none written) fits it no better.
    wd.write(
        "dm.csv",
        b"ticket_id,created_at\nX1,07/09/2024 23:00\nX2,09/09/2024\n",
    );
    wd.cxm()
        .args(["tickets", "dm.csv", "--date-format", "%d/%m/%Y %H:%M:%S"])
        .assert()
        .code(3)
        .stderr(predicates::str::contains("reads none of its values"));
    let rows = wd.csv_rows(&["tickets", "dm.csv", "--date-format", "%d/%m/%Y %H:%M"]);
    assert_eq!(rows[0]["tickets"], "2");
}

/// A quote never closed in a timestamp column is named with its line, as in any
/// other column, not taken for a date no format fits.
#[test]
fn an_open_quote_in_a_timestamp_column_is_located() {
    let wd = Workdir::new();
    wd.write(
        "q.csv",
        b"ticket_id,created_at,team\nT1,\"2025-01-01T00:00:00Z,billing\nT2,2025-01-02T00:00:00Z,support\n",
    );
    let out = wd.cxm().args(["tickets", "q.csv"]).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("q.csv:2: a quote opened on this line is never closed"),
        "{err}"
    );
}

/// A quote inside a field that does not start with one (`e"f`; two such quotes pair
/// up across lines in some readers and not in others), and text after a quoted
/// field's closing quote, are named with their line and column. Line 5 here: the
/// quoted field before it spans lines 3 and 4.
#[test]
fn a_quote_inside_an_unquoted_field_is_located() {
    let wd = Workdir::new();
    wd.write(
        "q.csv",
        b"ticket_id,team,created_at\n1,\"a\"\"b\",2025-01-01T00:00:00Z\n2,\"c\nd\",2025-01-02T00:00:00Z\n3,e\"f,2025-01-02T00:00:00Z\n4,g\"h,2025-01-02T00:00:00Z\n",
    );
    wd.write(
        "after.csv",
        b"ticket_id,created_at,team\n1,2025-01-01T00:00:00Z,\"b\"x\n",
    );
    // A quote left open on line 2 is closed by line 4's first quote, after which
    // `multi` is out of place: the field's opening line is named with it.
    wd.write(
        "open.csv",
        b"ticket_id,created_at,team\nT1,2025-01-01T00:00:00Z,\"never closed\nT2,2025-01-01T00:00:00Z,ok\nT3,2025-01-01T00:00:00Z,\"multi\nline\"\n",
    );
    // So too in a column of times, whose format the value of three lines spoils.
    wd.write(
        "open_time.csv",
        b"ticket_id,created_at,first_response_at,team\nT1,2025-01-01T00:00:00Z,\"2025-01-01T01:00:00Z,a\nT2,2025-01-01T00:00:00Z,2025-01-01T01:00:00Z,ok\nT3,2025-01-01T00:00:00Z,\"multi\nline\",b\n",
    );
    // A field of two lines, closed, then text: no quote was left open.
    wd.write(
        "two_lines.csv",
        b"ticket_id,created_at,team\nT1,2025-01-01T00:00:00Z,\"two\nlines\"x\nT2,2025-01-01T00:00:00Z,b\n",
    );
    for (file, by, said) in [
        (
            "open.csv",
            "",
            "open.csv:4: text after the closing quote of a field whose quote opened on line 2 (column 'team')",
        ),
        (
            "open_time.csv",
            "",
            "open_time.csv:4: text after the closing quote of a field whose quote opened on line 2 (column 'first_response_at')",
        ),
        (
            "two_lines.csv",
            "team",
            "two_lines.csv:3: text after a quoted field's closing quote (column 'team')",
        ),
        (
            "q.csv",
            "",
            "q.csv:5: a quote inside a field that does not start with one (column 'team')",
        ),
        (
            "after.csv",
            "team",
            "after.csv:2: text after a quoted field's closing quote (column 'team')",
        ),
    ] {
        let out = wd
            .cxm()
            .args(["tickets", file, "--by", by])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(3), "{err}");
        assert!(err.contains(said), "{err}");
    }
}

/// A stray quote (`12" monitor`) also leaves every later quote unbalanced: the error
/// names the stray quote's line, not the line of a well-quoted field further down
/// that a reader pairing quotes would misread. `inspect` lists the same problem.
#[test]
fn a_stray_quote_is_named_before_the_quotes_it_unbalances() {
    let wd = Workdir::new();
    wd.write(
        "q.csv",
        b"ticket_id,team,created_at\n1,12\" monitor,2025-01-01T00:00:00Z\n2,\"c\nd\",2025-01-02T00:00:00Z\n3,x,2025-01-02T00:00:00Z\n",
    );
    wd.write(
        "open.csv",
        b"ticket_id,team,created_at\n1,\"abc,2025-01-01T00:00:00Z\n2,b,2025-01-02T00:00:00Z\n",
    );
    // Within the rows sampled to detect formats too, before a later bad byte.
    wd.write(
        "u.csv",
        b"ticket_id,team,created_at\n1,12\" tv,2025-01-01T00:00:00Z\n2,b,2025-01-01T00:00:00Z\n3,caf\xe9,2025-01-01T00:00:00Z\n",
    );
    // In the header, where the reader would take the whole file for the header.
    wd.write(
        "h.csv",
        b"ticket_id,created_at,size 12\"\n1,2025-01-01T00:00:00Z,a\n2,2025-01-01T00:00:00Z,b\n",
    );
    let stray = "q.csv:2: a quote inside a field that does not start with one (column 'team')";
    for (file, said) in [
        ("q.csv", stray),
        (
            "u.csv",
            "u.csv:2: a quote inside a field that does not start with one (column 'team')",
        ),
        (
            "h.csv",
            "h.csv:1: a quote inside a column name that does not start with one (column 3)",
        ),
    ] {
        let out = wd.cxm().args(["tickets", file]).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(3), "{err}");
        assert!(err.contains(said), "{err}");
    }
    for (file, said) in [
        ("q.csv", stray),
        (
            "open.csv",
            "open.csv:2: a quote opened on this line is never closed",
        ),
    ] {
        let out = wd.cxm().args(["inspect", file]).output().unwrap();
        assert_eq!(out.status.code(), Some(0));
        let text = String::from_utf8_lossy(&out.stdout);
        let problem = text
            .lines()
            .find(|l| l.contains(said))
            .unwrap_or_else(|| panic!("{text}"));
        assert!(
            problem.contains("a metric command may stop there"),
            "{text}"
        );
    }
}

/// UTF-16 that breaks off (a lone surrogate, an odd last byte) names the line it
/// breaks on, as a UTF-8 file's bad bytes do: line 3 of both files.
#[test]
fn broken_utf16_names_its_line() {
    let wd = Workdir::new();
    let mut units: Vec<u16> = vec![0xFEFF];
    units.extend("ticket_id,created_at\nT1,2025-01-01T00:00:00Z\nT2,".encode_utf16());
    let mut lone = units.clone();
    lone.extend([0xD800, u16::from(b'x'), u16::from(b'\n')]);
    let bytes = |units: &[u16]| -> Vec<u8> { units.iter().flat_map(|u| u.to_le_bytes()).collect() };
    wd.write("lone.csv", &bytes(&lone));
    let mut odd = bytes(&units);
    odd.push(b'x');
    wd.write("odd.csv", &odd);
    // Lines ended by a lone CR (old Mac files) are counted too.
    let cr: Vec<u16> = lone
        .iter()
        .map(|&u| {
            if u == u16::from(b'\n') {
                u16::from(b'\r')
            } else {
                u
            }
        })
        .collect();
    wd.write("cr.csv", &bytes(&cr));
    // A CR inside quotes of a file of LF lines is the cell's own, no line end.
    let mut quoted: Vec<u16> = vec![0xFEFF];
    quoted.extend(
        "ticket_id,created_at,subject\nT1,2025-01-01T00:00:00Z,\"a\rb\"\nT2,".encode_utf16(),
    );
    quoted.push(0xD800);
    wd.write("quoted.csv", &bytes(&quoted));
    let out = wd.cxm().args(["tickets", "quoted.csv"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("line 3 is not valid UTF-16"), "{err}");
    // Counted as the CSV reading counts lines: a quoted CR in the header of an LF
    // file is no line end (line 3); in a file of lone-CR lines, a quoted LF is one
    // (line 5).
    let broken = |text: &str| {
        let mut units: Vec<u16> = vec![0xFEFF];
        units.extend(text.encode_utf16());
        units.push(0xD800);
        bytes(&units)
    };
    for (file, text, line) in [
        ("header.csv", "ticket_id,created_at,\"ag\rent\"\nT1,2025-01-01T00:00:00Z,Bob\nT2,", 3),
        ("mac.csv", "ticket_id,created_at,agent\rT1,2025-01-01T00:00:00Z,\"Ann\nSmith\"\rT2,2025-01-01T00:00:00Z,Bob\rT3,", 5),
    ] {
        wd.write(file, &broken(text));
        let out = wd.cxm().args(["tickets", file]).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(&format!("line {line} is not valid UTF-16")), "{file}: {err}");
    }
    for file in ["lone.csv", "odd.csv", "cr.csv"] {
        let out = wd.cxm().args(["tickets", file]).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(3), "{err}");
        assert!(err.contains("line 3 is not valid UTF-16"), "{file}: {err}");
    }
}

/// A file compressed other than with gzip, or UTF-16 without its mark, is named for
/// what it is (exit 3), not misread as text that is not UTF-8 (whose hint, Latin-1,
/// would mislead).
#[test]
fn compressed_and_markless_utf16_files_say_what_they_are() {
    let wd = Workdir::new();
    let text = "ticket_id,created_at\nT1,2025-01-01T00:00:00Z\n";
    let utf16: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
    wd.write("u16.csv", &utf16);
    wd.write("t.csv.bz2", b"BZh91AY&SY\x9b\x8c\x1e\x1f\x00\x00");
    // Compressed bytes may hold line ends and commas, as a title line and a header
    // would: still named for what they are.
    wd.write(
        "lines.xz",
        b"\xFD7zXZ\x00\x00\x04\xe6\xd6\xb4F\n\x02\x00!\x01,x,y\n\x9b,1\n",
    );
    for (file, said) in [
        (
            "lines.xz",
            "lines.xz: compressed with xz, which cxm does not read",
        ),
        (
            "u16.csv",
            "u16.csv: looks like UTF-16LE text without a byte-order mark",
        ),
        (
            "t.csv.bz2",
            "t.csv.bz2: compressed with bzip2, which cxm does not read",
        ),
    ] {
        let out = wd.cxm().args(["tickets", file]).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(3), "{err}");
        assert!(err.contains(said) && !err.contains("latin1"), "{err}");
    }
}

/// Sample tickets need customers to belong to: `--customers 0` is a usage error, with
/// nothing written, not a crash that leaves empty files.
#[test]
fn sample_without_customers_is_a_usage_error() {
    let wd = Workdir::new();
    wd.cxm()
        .args([
            "sample",
            "--out",
            "sx",
            "--tickets",
            "50",
            "--customers",
            "0",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--customers"))
        .stderr(predicate::str::contains("panicked").not());
    assert!(!wd.path("sx").exists());
}

/// Stdin named twice for one kind of data is a usage error; named for two kinds, it
/// is one copy read as both, as a file named for both is (a ticket export holding
/// CSAT: team a's one answer 5, satisfied; b's 2, not).
#[test]
fn stdin_named_twice_is_a_usage_error() {
    let wd = Workdir::new();
    let export = "ticket_id,created_at,team,csat\nT1,2025-01-06T09:00:00Z,a,5\nT2,2025-01-06T10:00:00Z,b,2\n";
    for args in [
        &["tickets", "-", "-"][..],
        &["report", "--tickets", "-", "--tickets", "-"],
    ] {
        wd.cxm()
            .args(args)
            .write_stdin(export)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(
                "'-' (stdin) can be given only once",
            ));
    }
    let out = wd
        .cxm()
        .args([
            "surveys",
            "-",
            "--tickets",
            "-",
            "--by",
            "team",
            "--format",
            "csv",
        ])
        .write_stdin(export)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let rows = crate::common::parse_csv(&out.stdout);
    let pct = |team: &str| rows.iter().find(|r| r["team"] == team).unwrap()["csat_pct"].clone();
    assert_eq!((pct("a"), pct("b")), ("100".to_string(), "0".to_string()));
}

/// A folder of several kinds of data given to one command: the error says which file
/// holds another kind, and that `report` reads such a folder.
#[test]
fn a_folder_of_several_kinds_points_to_report() {
    let wd = Workdir::new();
    let sample = concat!(env!("CARGO_MANIFEST_DIR"), "/sample-data");
    for (command, said) in [
        (
            "tickets",
            "subscriptions.csv: no column for required field 'ticket_id'",
        ),
        (
            "surveys",
            "subscriptions.csv: its headers say it holds subscriptions",
        ),
        (
            "churn",
            "surveys.csv: its headers say it holds survey responses",
        ),
    ] {
        let out = wd.cxm().args([command, sample]).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(3), "{command}: {err}");
        assert!(
            err.contains(said) && err.contains("a folder of several kinds of data to cxm report"),
            "{command}: {err}"
        );
    }
}

/// A file of another kind given under `report`'s or `customers`' option of a kind
/// is pointed to its own option, not to `report`, which is running.
#[test]
fn a_file_under_another_kinds_option_is_pointed_to_its_own() {
    let wd = Workdir::new();
    let surveys = concat!(env!("CARGO_MANIFEST_DIR"), "/sample-data/surveys.csv");
    let subscriptions = concat!(env!("CARGO_MANIFEST_DIR"), "/sample-data/subscriptions.csv");
    for (args, said) in [
        (
            ["report", "--tickets", surveys],
            "holds survey responses; give it as --surveys FILE",
        ),
        (
            ["customers", "--tickets", subscriptions],
            "holds subscriptions; give it as --subscriptions FILE",
        ),
        // Not a missing required field: no scores, no start date.
        (
            ["report", "--surveys", subscriptions],
            "holds subscriptions; give it as --subscriptions FILE",
        ),
        (
            ["report", "--subscriptions", surveys],
            "holds survey responses; give it as --surveys FILE",
        ),
    ] {
        let out = wd.cxm().args(args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(3), "{args:?}: {err}");
        assert!(
            err.contains(said) && !err.contains("cxm report"),
            "{args:?}: {err}"
        );
    }
}

/// A saved report's file of another kind is pointed to the key it belongs under, as
/// well as to the option.
#[test]
fn a_saved_reports_file_of_another_kind_names_its_key() {
    let wd = Workdir::new();
    let surveys = concat!(env!("CARGO_MANIFEST_DIR"), "/sample-data/surveys.csv");
    wd.write(
        "cx.toml",
        format!("[reports.weekly]\ntickets = \"{surveys}\"\n").as_bytes(),
    );
    let out = wd
        .cxm()
        .args(["report", "--config", "cx.toml", "weekly"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(
        err.contains("give it as --surveys FILE (a saved report's surveys = \"FILE\")"),
        "{err}"
    );
}

/// A header whose spaces differ from the name given (the Iranian churn export's
/// `Charge  Amount`, with two) is pointed out: the list of headers cannot show it.
#[test]
fn a_header_differing_only_in_its_spaces_is_pointed_out() {
    let wd = Workdir::new();
    let out = wd
        .cxm()
        .args(["churn", &fixture("real/iranian_telecom_churn.csv.gz")])
        .args(["--by", "Charge Amount"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(
        err.contains(
            "did you mean 'Charge  Amount'? Its spaces differ (two spaces after 'Charge')"
        ),
        "{err}"
    );
}

/// A header with a space before it (` Region`, as a sheet may write it) is the column
/// `--by Region` and `--where Region=a` name; a header with an escape sequence in it is
/// printed escaped in a table's header, as cells are.
#[test]
fn headers_with_spaces_around_or_escapes_in_them() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket_id,created_at, Region,te\x1b[31mam\n1,2025-03-09T09:00:00Z,a,x\n2,2025-03-09T09:00:00Z,b,x\n",
    );
    let rows = wd.csv_rows(&["tickets", "t.csv", "--by", "Region", "--where", "region=a"]);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0][" Region"], "a");
    let out = wd
        .cxm()
        .args([
            "tickets",
            "t.csv",
            "--by",
            "te\x1b[31mam",
            "--format",
            "table",
        ])
        .output()
        .unwrap();
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!table.contains('\x1b'), "{table}");
    assert!(table.contains("te\\u{1b}[31mam"), "{table}");
}

/// Two headers that differ only in spaces (`Region`, `Region `) cannot be told apart
/// by a name (names are trimmed): refused, naming both and the way out, rather than
/// grouping by whichever is spelled without spaces.
#[test]
fn two_headers_differing_only_in_spaces_are_refused() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket_id,created_at,Region,Region \n1,2025-03-01T10:00:00Z,EU,X\n",
    );
    for args in [
        ["--by", "Region "],
        ["--by", "region"],
        ["--where", "Region=X"],
    ] {
        let out = wd
            .cxm()
            .args(["tickets", "t.csv"])
            .args(args)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains("which differ only in spaces"),
            "{args:?}: {err}"
        );
    }
    // A third column spelled exactly as given is no twin of theirs: it is read.
    wd.write(
        "u.csv",
        b"ticket_id,created_at,Region,Region ,region\n1,2025-03-01T10:00:00Z,EU,X,lo\n",
    );
    let rows = wd.csv_rows(&["tickets", "u.csv", "--by", "region"]);
    assert_eq!(rows[0]["region"], "lo", "{rows:?}");
}

/// A `TMPDIR` that does not exist (a cron job's odd environment) is named in the
/// error when stdin must be spooled there.
#[test]
fn an_unusable_tmpdir_is_named() {
    let wd = Workdir::new();
    let out = wd
        .cxm()
        .args(["tickets", "-"])
        .env("TMPDIR", "/nonexistent-cxm-tmp")
        .write_stdin("ticket_id,created_at\nA,2025-03-03T09:00:00Z\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("in /nonexistent-cxm-tmp, from TMPDIR"),
        "{err}"
    );
}

/// `cxm sample --out FILE` names a folder that is a file: a usage error (exit 2).
#[test]
fn sample_into_a_file_is_a_usage_error() {
    let wd = Workdir::new();
    wd.write("f.csv", b"x\n");
    let out = wd
        .cxm()
        .args(["sample", "--out", "f.csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--out f.csv: not a folder; give a folder")
    );
    assert_eq!(std::fs::read(wd.path("f.csv")).unwrap(), b"x\n");
}

/// One field mapped twice on the command line is a usage error naming both columns,
/// rather than the last one read without a word.
#[test]
fn a_field_mapped_twice_is_a_usage_error() {
    Workdir::new()
        .cxm()
        .args(["tickets", &fixture("tickets/basic.csv")])
        .args([
            "--map",
            "team=agent",
            "--map",
            "team=channel",
            "--by",
            "team",
        ])
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains(
            "--map team is given twice ('agent' and 'channel'): give it once",
        ));
    // The same pair twice says one thing.
    Workdir::new()
        .cxm()
        .args(["tickets", &fixture("tickets/basic.csv")])
        .args([
            "--map",
            "team=channel",
            "--map",
            "team=channel",
            "--by",
            "team",
        ])
        .assert()
        .success();
}

/// A tab-separated file whose header names hold commas is split at the commas when
/// sniffed: the missing field's error points to `--delimiter tab`, which reads it.
#[test]
fn a_header_split_on_the_wrong_delimiter_is_pointed_out() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket_id\tcreated_at\tTeam (name, code, region)\nA\t2025-03-03T09:00:00Z\tx\n",
    );
    let out = wd.cxm().args(["tickets", "t.csv"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(
        err.contains("a header holds 'ticket_id' among tabs: the file was split on the wrong delimiter; give --delimiter tab"),
        "{err}"
    );
    let rows = wd.csv_rows(&["tickets", "t.csv", "--delimiter", "tab"]);
    assert_eq!(rows[0]["tickets"], "1");
}

/// `surveys --tickets` with a ticket file lacking `ticket_id`: `--map` maps the
/// responses there, so the way out named is the config file's `[map.tickets]`.
#[test]
fn a_ticket_file_without_ids_in_a_join_points_to_the_config() {
    let wd = Workdir::new();
    wd.write("t.csv", b"order_id,created\nO1,2025-01-01\n");
    wd.write("s.csv", b"order_id,submitted_at,csat\nO1,2025-01-02,5\n");
    let out = wd
        .cxm()
        .args([
            "surveys",
            "s.csv",
            "--tickets",
            "t.csv",
            "--map",
            "ticket_id=order_id",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(
        err.contains("t.csv: no column for required field 'ticket_id'")
            && err.contains(
                "in the [map.tickets] table of --config (--map pairs here map the responses)"
            ),
        "{err}"
    );
}

/// A quote left open in a column no command reads (`team` here), closed by a later
/// field's quote, ran tickets 3 and 4 into ticket 2 (5 rows read as 3, ticket 2 with
/// ticket 4's time) without a word: the run stops, naming where the quote opened.
#[test]
fn a_quote_left_open_in_an_unread_column_stops_the_run() {
    let wd = Workdir::new();
    wd.write(
        "v.csv",
        b"ticket_id,team,created_at\n1,a,2025-01-01T00:00:00Z\n2,\"b,2025-01-02T00:00:00Z\n3,c,2025-01-03T00:00:00Z\n4,\"d,2025-01-04T00:00:00Z\n5,e,2025-01-05T00:00:00Z\n",
    );
    let out = wd.cxm().args(["tickets", "v.csv", "-q"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(
        err.contains("v.csv:5: text after the closing quote of a field whose quote opened on line 3 (column 'team')"),
        "{err}"
    );
    // A field of several lines with commas, closed where it should be, reads.
    wd.write(
        "ok.csv",
        b"ticket_id,subject,created_at\n1,\"a, b\nc, d\",2025-01-01T00:00:00Z\n2,x,2025-01-02T00:00:00Z\n",
    );
    let rows = wd.csv_rows(&["tickets", "ok.csv"]);
    assert_eq!(rows[0]["tickets"], "2");
    // So does one of two lines with an undoubled quote inside, whose lines read as
    // no record: 3 tickets, as any lenient reader counts them.
    wd.write(
        "inner.csv",
        b"ticket_id,created_at,description,team\nT1,2025-03-03T09:00:00Z,\"Line one\nline two, see \"manual\" for more\",A\nT2,2025-03-03T10:00:00Z,ok,B\nT3,2025-03-03T11:00:00Z,ok,C\n",
    );
    let rows = wd.csv_rows(&["tickets", "inner.csv"]);
    assert_eq!(rows[0]["tickets"], "3");
}

/// Subscriptions and activity are read by polars' scan of the whole file: a quote
/// left open and closed by a later field's quote ran customers 3 and 4 into
/// customer 2 (Feb showed 1 new customer of 3) with exit 0; a quote never closed
/// stopped with polars' `CSV malformed: expected 1 rows…`, naming no file. Both are
/// located now, in `churn` (each kind), an event log and `report`'s sections.
#[test]
fn quotes_left_open_in_whole_file_scans_are_located() {
    let wd = Workdir::new();
    let head = "customer_id,started_at,canceled_at,mrr,plan\nc1,2025-01-01,,10,basic\n";
    wd.write(
        "run.csv",
        format!("{head}c2,2025-01-05,2025-03-01,20,\"pro\nc3,2025-02-01,,10,basic\nc4,2025-02-01,,10,basic\" x\nc5,2025-02-01,,10,basic\n").as_bytes(),
    );
    wd.write(
        "open.csv",
        format!("{head}c2,2025-01-05,2025-03-01,20,\"pro\nc3,2025-02-01,,10,basic\n").as_bytes(),
    );
    wd.write(
        "act.csv",
        b"customer_id,date,event\nc1,2025-01-01,\"login\nc2,2025-01-05,login\nc1,2025-03-01,login\" x\nc3,2025-03-01,login\n",
    );
    wd.write(
        "log.csv",
        b"ticket_id,created_at,author_role,event\n1,2025-01-01T00:00:00Z,customer,created\n1,2025-01-01T01:00:00Z,agent,\"reply\n1,2025-01-01T02:00:00Z,agent,solved\n",
    );
    let now = ["--now", "2025-06-01T00:00:00Z"];
    let stops = |args: &[&str], says: &str| {
        let out = wd.cxm().args(args).args(now).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(3), "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
        assert!(out.stdout.is_empty(), "{args:?}");
    };
    let ran_on = "text after the closing quote of a field whose quote opened on line";
    stops(
        &["churn", "run.csv"],
        &format!("run.csv:5: {ran_on} 3 (column 'plan')"),
    );
    stops(
        &["churn", "act.csv", "--inactive-after", "30d"],
        &format!("act.csv:4: {ran_on} 2 (column 'event')"),
    );
    let never = "a quote opened on this line is never closed";
    stops(&["churn", "open.csv"], &format!("open.csv:3: {never}"));
    stops(
        &["tickets", "--events", "log.csv"],
        &format!("log.csv:3: {never}"),
    );
    std::fs::create_dir(wd.path("d")).unwrap();
    std::fs::copy(wd.path("open.csv"), wd.path("d/subscriptions.csv")).unwrap();
    stops(&["report", "d"], &format!("subscriptions.csv:3: {never}"));
    // Gzipped, the line is the decompressed file's.
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut gz, &std::fs::read(wd.path("run.csv")).unwrap()).unwrap();
    wd.write("run.csv.gz", &gz.finish().unwrap());
    stops(
        &["churn", "run.csv.gz"],
        &format!("run.csv.gz:5: {ran_on} 3"),
    );
    // A plan of two lines, closed where it should be, reads: 3 customers.
    wd.write(
        "ok.csv",
        format!("{head}c2,2025-01-05,,20,\"pro\nannual\"\nc3,2025-02-01,,10,basic\n").as_bytes(),
    );
    let rows = wd.csv_rows(&["churn", "ok.csv", "--now", "2025-06-01T00:00:00Z"]);
    let last = rows.last().unwrap();
    assert_eq!(last["customers_end"], "3", "{rows:?}");
}

/// Of several files, the stop names the one the reader could not get past: b.csv's
/// quote never closed, not a.csv's harmless `"a"b` before it (a.csv alone reads).
/// Lines are the original file's, a title or `sep=` line above the header counted.
/// A stray quote whose pair opens a later field (`be","ta`: even quotes, a field
/// left open to the end) is named at its line (polars' `could not parse` named none).
#[test]
fn read_failures_name_the_file_and_its_own_line() {
    let wd = Workdir::new();
    wd.write(
        "a.csv",
        b"customer_id,start_date,end_date,note\nc1,2025-01-01,,\"a\"b\nc2,2025-01-01,2025-02-01,x\n",
    );
    wd.write(
        "b.csv",
        b"customer_id,start_date,end_date,note\nc3,2025-01-01,,y\nc4,2025-01-01,2025-02-01,\"open\n",
    );
    wd.write(
        "t.csv",
        b"Subscriptions export\ncustomer_id,start_date,end_date,note\nc1,2025-01-01,,\"left open\nc2,2025-01-01,2025-02-01,x\nc3,2025-01-01,,closed\"here\n",
    );
    wd.write(
        "tk.csv",
        b"sep=,\nticket_id,created_at,note\nt1,2025-01-01T00:00:00Z,a\nt2,2025-01-02T00:00:00Z,\"open\n",
    );
    wd.write(
        "u.csv",
        b"customer_id,start_date,end_date,note\nc1,2025-01-01,,a\nc2,2025-01-02,,be\",\"ta\n",
    );
    let stops = |args: &[&str], says: &str| {
        let out = wd.cxm().args(args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(3), "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
    };
    let never = "a quote opened on this line is never closed";
    stops(&["churn", "a.csv", "b.csv"], &format!("b.csv:3: {never}"));
    stops(&["churn", "b.csv", "a.csv"], &format!("b.csv:3: {never}"));
    stops(
        &["churn", "t.csv"],
        "t.csv:5: text after the closing quote of a field whose quote opened on line 3",
    );
    stops(&["tickets", "tk.csv"], &format!("tk.csv:4: {never}"));
    let inside = "a quote inside a field that does not start with one (column 'note')";
    stops(&["churn", "u.csv"], &format!("u.csv:3: {inside}"));
    let out = wd.cxm().args(["inspect", "tk.csv"]).output().unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains(&format!("tk.csv:4: {never}")), "{said}");
}

/// A quote opening a column name that nothing closes took the whole file for the
/// header: 0 rows, exit 0 even under --strict. It stops at the header's line, which
/// counts a title above it, as a stray quote in the header does (it said line 1),
/// and as a record too long does (it said the line less the title's two).
#[test]
fn header_quotes_and_long_records_are_named_at_the_files_own_line() {
    let wd = Workdir::new();
    wd.write(
        "f1.csv",
        b"ticket_id,created_at,\"team\nT1,2025-03-01T10:00:00Z,a\nT2,2025-03-01T11:00:00Z,b\n",
    );
    wd.write(
        "f1b.csv",
        b"Tickets March\n\nticket_id,created_at,\"team\nT1,2025-03-01T10:00:00Z,a\n",
    );
    wd.write(
        "f3.csv",
        b"Tickets March\n\nticket_id,created\"at,team\nT1,2025-03-01T10:00:00Z,a\n",
    );
    wd.write(
        "f3b.csv",
        b"sep=,\nticket_id,\"created_at\"x,team\nT1,2025-03-01T10:00:00Z,a\n",
    );
    let mut long = b"Tickets March\n\nticket_id,created_at,subject\nT0,2025-03-01T10:00:00Z,y\nT1,2025-03-01T10:00:00Z,".to_vec();
    long.extend(std::iter::repeat_n(b'x', 1_100_000));
    long.push(b'\n');
    wd.write("f2.csv", &long);
    let stops = |file: &str, says: &str| {
        let out = wd
            .cxm()
            .env("CXM_MAX_RECORD_MB", "1")
            .args(["tickets", file, "--strict"])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(3), "{file}: {err}");
        assert!(err.contains(says), "{file}: {err}");
    };
    stops(
        "f1.csv",
        "f1.csv:1: a quote opened on this line is never closed (in the header)",
    );
    // Past the 64 KiB a header is first looked for in, too (it read 0 rows).
    let mut big = b"ticket_id,created_at,\"team\n".to_vec();
    for i in 0..3000 {
        big.extend(format!("{i},2025-01-01T10:00:00Z,a\n").as_bytes());
    }
    assert!(big.len() > 64 * 1024);
    wd.write("big.csv", &big);
    stops(
        "big.csv",
        "big.csv:1: a quote opened on this line is never closed (in the header)",
    );
    stops(
        "f1b.csv",
        "f1b.csv:3: a quote opened on this line is never closed (in the header)",
    );
    stops(
        "f3.csv",
        "f3.csv:3: a quote inside a column name that does not start with one (column 2)",
    );
    stops(
        "f3b.csv",
        "f3b.csv:2: text after a quoted column name's closing quote (column 2)",
    );
    stops(
        "f2.csv",
        "f2.csv: cannot read: line 5: a record longer than 1 MiB",
    );
}

/// A `--fail-if` rule that cannot be read is refused before any work: no data
/// warning first. Under --strict, `customers` lists every dataset's rejects (it
/// stopped on the tickets' alone).
#[test]
fn a_bad_rule_stops_first_and_strict_customers_lists_every_dataset() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket_id,created_at,customer_id\nT1,2025-03-01T10:00:00Z,C1\nT2,bad,C1\n",
    );
    wd.write(
        "s.csv",
        b"customer_id,start_date,end_date,mrr\nC1,2025-01-01,,100\nC2,2025-01-01,,abc\n",
    );
    let out = wd
        .cxm()
        .args(["tickets", "t.csv", "--fail-if", "tickets>>1"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("expected METRIC OP NUMBER") && !err.contains("rejected"),
        "{err}"
    );
    let out = wd
        .cxm()
        .args([
            "customers",
            "--tickets",
            "t.csv",
            "--subscriptions",
            "s.csv",
        ])
        .args(["--period", "2025-03", "--strict"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(
        err.contains("--strict: 2 kind(s) of rejected values"),
        "{err}"
    );
    assert!(
        err.contains("t.csv:3, column 'created_at'") && err.contains("s.csv:3, column 'mrr'"),
        "{err}"
    );
}

/// Columns named like polars patterns are read by their literal names: mapped to a
/// field (`--map team='^t.*$'`: a 2, b 1; it grouped by ticket_id) and in `--where`
/// (2 kept; it kept none); grouping by one as a raw column is refused with the way
/// round. A header of quoted names running past 64 KiB is read (it was refused as
/// never closed).
#[test]
fn pattern_like_names_and_wide_quoted_headers_are_read() {
    let wd = Workdir::new();
    wd.write(
        "m.csv",
        b"ticket_id,created_at,^t.*$\n1,2025-01-01T10:00:00Z,a\n2,2025-01-02T10:00:00Z,b\n3,2025-01-03T10:00:00Z,a\n",
    );
    let rows = wd.csv_rows(&["tickets", "m.csv", "--map", "team=^t.*$", "--by", "team"]);
    let groups: Vec<(&str, &str)> = (rows.iter())
        .map(|r| (r["team"].as_str(), r["tickets"].as_str()))
        .collect();
    assert_eq!(groups, [("a", "2"), ("b", "1")]);
    let rows = wd.csv_rows(&["tickets", "m.csv", "--where", "^t.*$=a"]);
    assert_eq!(rows[0]["tickets"], "2");
    let out = wd
        .cxm()
        .args(["tickets", "m.csv", "--by", "^t.*$"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("--map FIELD='^t.*$', then --by FIELD"),
        "{err}"
    );
    let names: Vec<String> = (0..9000).map(|i| format!("\"c{i:05}\"")).collect();
    let wide = format!(
        "ticket_id,created_at,{}\n1,2025-01-01T10:00:00Z{}\n",
        names.join(","),
        ",".repeat(9000)
    );
    assert!(wide.find('\n').unwrap() > 64 * 1024);
    wd.write("wide.csv", wide.as_bytes());
    assert_eq!(wd.csv_rows(&["tickets", "wide.csv"])[0]["tickets"], "1");
}
