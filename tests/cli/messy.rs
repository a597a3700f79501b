//! The messy corpus (tests/fixtures/messy, one line on each file in its README): the
//! exit code, the reject counts by reason and where each message points.
//!
//! Every file holds M1 (team A: reply after 30 min, resolved after 2 h), M2 (team B:
//! reply after 2 h, open) and M3 (team A, no reply). Read cleanly, `--by team` gives
//! A: 2 tickets, 1 responded (0.5 h), 1 resolved (2 h); B: 1 ticket, 1 responded (2 h).

use crate::common::{assert_num, fixture, parse_csv, Workdir};

struct Run {
    code: i32,
    stdout: Vec<u8>,
    stderr: String,
}

fn run(file: &str, extra: &[&str]) -> Run {
    let out = Workdir::new()
        .cxm()
        .args([
            "tickets",
            &fixture(&format!("messy/{file}")),
            "--by",
            "team",
        ])
        .args(["--format", "csv"])
        .args(extra)
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: out.stdout,
        stderr: String::from_utf8_lossy(&out.stderr).replace(&fixture("messy/"), ""),
    }
}

/// Exit 0, no message, and the clean values.
fn reads_cleanly(file: &str) {
    let r = run(file, &[]);
    assert_eq!((r.code, r.stderr.as_str()), (0, ""), "{file}");
    let rows = parse_csv(&r.stdout);
    assert_eq!(rows.len(), 2, "{file}");
    let (a, b) = (&rows[0], &rows[1]);
    assert_eq!(
        (
            a["team"].as_str(),
            a["tickets"].as_str(),
            a["responded"].as_str(),
            a["resolved"].as_str()
        ),
        ("A", "2", "1", "1"),
        "{file}"
    );
    assert_num(a, "first_response_mean_hours", 0.5);
    assert_num(a, "resolution_mean_hours", 2.0);
    assert_eq!(
        (
            b["team"].as_str(),
            b["tickets"].as_str(),
            b["responded"].as_str()
        ),
        ("B", "1", "1"),
        "{file}"
    );
    assert_num(b, "first_response_mean_hours", 2.0);
}

fn fails(file: &str, code: i32, message: &str) {
    fails_with(file, &[], code, message);
}

/// Exit `code` under the options `extra`, saying `message`.
fn fails_with(file: &str, extra: &[&str], code: i32, message: &str) {
    let r = run(file, extra);
    assert_eq!(r.code, code, "{file}: {}", r.stderr);
    assert!(r.stdout.is_empty(), "{file}");
    assert!(r.stderr.contains(message), "{file}: {}", r.stderr);
    assert!(!r.stderr.contains("panicked"), "{file}");
}

#[test]
fn format_variants_read_cleanly() {
    for file in [
        "bom.csv",
        "crlf.csv",
        "blank_lines.csv",
        "header_whitespace.csv",
        "mixed_offsets.csv",
        "quoted_newlines.csv",
        "semicolon.csv",
        "tab.tsv",
        "trailing_empty_columns.csv",
    ] {
        reads_cleanly(file);
    }
}

#[test]
fn unreadable_files_exit_3_and_say_where() {
    fails(
        "empty.csv",
        3,
        "empty.csv: the file is empty (no header line)",
    );
    fails(
        "binary_garbage.csv",
        3,
        "binary_garbage.csv:1: bytes that are not valid UTF-8, and NUL bytes: a binary or damaged file?",
    );
    fails(
        "utf8_invalid.csv",
        3,
        "utf8_invalid.csv:3: bytes that are not valid UTF-8; give --encoding latin1",
    );
    fails(
        "no_required_column.csv",
        3,
        "no_required_column.csv: no column for required field 'ticket_id' (headers found: id_of_nothing, when)",
    );
    fails(
        "unterminated_quote.csv",
        3,
        "unterminated_quote.csv:3: a quote opened on this line is never closed",
    );
}

#[test]
fn latin1_with_its_encoding() {
    let r = run("latin1.csv", &["--encoding", "latin1"]);
    assert_eq!((r.code, r.stderr.as_str()), (0, ""));
    let rows = parse_csv(&r.stdout);
    let teams: Vec<&str> = rows.iter().map(|r| r["team"].as_str()).collect();
    assert_eq!(teams, ["A", "B", "Équipe"]);
}

/// Without `--encoding`, a file whose start is not UTF-8 and holds no UTF-8 character
/// beyond ASCII is read as Windows-1252, saying so with the first such line;
/// `--encoding utf8` stops on it as before.
#[test]
fn latin1_is_told_by_its_bytes_and_said() {
    let r = run("latin1.csv", &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stderr,
        "cxm: warning: latin1.csv: not UTF-8, so read as Windows-1252 (Latin-1): line 4 reads 'Équipe'; give --encoding if the file is in another encoding\n"
    );
    let rows = parse_csv(&r.stdout);
    let teams: Vec<&str> = rows.iter().map(|r| r["team"].as_str()).collect();
    assert_eq!(teams, ["A", "B", "Équipe"]);
    fails_with(
        "latin1.csv",
        &["--encoding", "utf8"],
        3,
        "latin1.csv:4: bytes that are not valid UTF-8; give --encoding latin1",
    );
}

/// Bytes 0x80–0x9F of a "Latin-1" file are Windows-1252's (`€`, curly quotes), as
/// Excel's "ANSI" CSVs hold them and browsers read them: never control codes.
#[test]
fn latin1_reads_windows_1252_punctuation() {
    let wd = Workdir::new();
    wd.write(
        "ansi.csv",
        b"ticket_id,created_at,team\n1,2025-01-01T00:00:00Z,\x80 caf\xe9 \x93q\x94\n",
    );
    for encoding in ["latin1", "cp1252"] {
        let out = wd
            .cxm()
            .args(["tickets", "ansi.csv", "--by", "team", "--format", "csv"])
            .args(["--encoding", encoding])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let rows = parse_csv(&out.stdout);
        assert_eq!(rows[0]["team"], "\u{20ac} caf\u{e9} \u{201c}q\u{201d}");
    }
}

/// A header alone is zero rows (exit 0), said on stderr: an export gone wrong would
/// otherwise pass for a quiet week.
#[test]
fn header_only_is_zero_rows() {
    let r = run("header_only.csv", &[]);
    assert_eq!(r.code, 0);
    assert!(
        r.stderr
            .trim_end()
            .ends_with("header_only.csv: no rows under the header"),
        "{}",
        r.stderr
    );
    assert_eq!(parse_csv(&r.stdout).len(), 0);
    assert!(r.stdout.starts_with(b"team,tickets,"));
}

#[test]
fn null_spellings_are_missing_values() {
    let r = run("null_spellings.csv", &[]);
    assert_eq!((r.code, r.stderr.as_str()), (0, ""));
    let rows = parse_csv(&r.stdout);
    assert_eq!(rows[0]["responded"], "0");
    assert_eq!(rows[0]["resolved"], "0");
}

#[test]
fn bad_values_are_counted_by_reason_with_their_line() {
    let r = run("bad_timestamps.csv", &[]);
    assert_eq!(r.code, 0);
    assert_eq!(
        r.stderr,
        "cxm: warning: 1 rejected: unparseable timestamp in created_at (first at bad_timestamps.csv:3, column 'created_at', value 'yesterday')\n\
         cxm: warning: 1 rejected: unparseable timestamp in first_response_at (first at bad_timestamps.csv:4, column 'first_response_at', value '2025-13-45T99:00:00Z')\n"
    );
    // M2 is rejected whole (no creation time); M3 keeps counting, without a reply.
    let rows = parse_csv(&r.stdout);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["tickets"], "2");
    assert_eq!(rows[0]["responded"], "1");
    let strict = run("bad_timestamps.csv", &["--strict"]);
    assert_eq!(strict.code, 3);
    assert!(strict
        .stderr
        .contains("--strict: 2 kind(s) of rejected values"));

    let r = run("missing_ids.csv", &[]);
    assert_eq!(r.code, 0);
    assert_eq!(
        r.stderr,
        "cxm: warning: 1 rejected: missing required value in ticket_id (first at missing_ids.csv:3, column 'ticket_id', value '')\n\
         cxm: warning: 1 rejected: missing required value in created_at (first at missing_ids.csv:4, column 'created_at', value '')\n"
    );

    let r = run("negative_durations.csv", &[]);
    assert_eq!(r.code, 0);
    assert_eq!(
        r.stderr,
        "cxm: warning: 1 rejected: negative duration in first_response_at (first at negative_durations.csv:3, column 'first_response_at', value '2025-03-03T09:00:00Z')\n\
         cxm: warning: 1 rejected: negative duration in resolved_at (first at negative_durations.csv:3, column 'resolved_at', value '2025-03-03T08:00:00Z')\n"
    );
    let rows = parse_csv(&r.stdout);
    assert_eq!(
        (rows[1]["tickets"].as_str(), rows[1]["responded"].as_str()),
        ("1", "0")
    );
}

#[test]
fn a_row_with_too_many_fields_is_rejected_whole() {
    // Line 4 (M3) has two fields beyond the header: rejected. Line 3 (M2) has fewer
    // fields: its missing cells are missing values (no team, no reply).
    let r = run("ragged_rows.csv", &["-v"]);
    assert_eq!(r.code, 0);
    assert_eq!(
        r.stderr,
        "cxm: ragged_rows.csv: 3 rows read = 2 used + 1 rejected + 0 duplicates\n\
         cxm: warning: 1 rejected: more fields than the header (first at ragged_rows.csv:4, column '(fields beyond the header)', value 'extra')\n"
    );
    let rows = parse_csv(&r.stdout);
    assert_eq!(
        (rows[0]["team"].as_str(), rows[0]["tickets"].as_str()),
        ("A", "1")
    );
    assert_eq!(
        (rows[1]["team"].as_str(), rows[1]["tickets"].as_str()),
        ("", "1")
    );
    assert_eq!(run("ragged_rows.csv", &["--strict"]).code, 3);
}

#[test]
fn duplicate_ids_keep_the_last_copy() {
    let r = run("duplicate_ids.csv", &[]);
    assert_eq!(r.code, 0);
    assert_eq!(
        r.stderr,
        "cxm: warning: 1 row: repeated id, dropped (the last row of each id is kept) for ticket_id (first at duplicate_ids.csv:3, column 'ticket_id', value 'M2')\n"
    );
    let rows = parse_csv(&r.stdout);
    assert_eq!(
        (rows[1]["tickets"].as_str(), rows[1]["resolved"].as_str()),
        ("1", "1")
    );
    assert_num(&rows[1], "first_response_mean_hours", 0.5);
    assert_num(&rows[1], "resolution_mean_hours", 3.0);
}

/// Ids a spreadsheet rewrote in scientific notation (`1.03006E+13`) have lost digits,
/// and distinct customers merge: the run says so, naming the column (a short `1e5`,
/// which Excel would not write so, is not counted). On the real
/// Zendesk export (tests/fixtures/real), every `Requester id` is written that way.
#[test]
fn ids_in_scientific_notation_are_named() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket_id,created_at,customer_id\nT1,2025-01-01T00:00:00Z,1.03006E+13\nT2,2025-01-01T00:00:00Z,1.03006E+13\nT3,2025-01-01T00:00:00Z,C7\nT4,2025-01-01T00:00:00Z,1e5\n",
    );
    let out = wd
        .cxm()
        .args(["tickets", "t.csv", "--by", "customer_id"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("'customer_id' (customer_id): 2 of the first 4 values")
            && err.contains("1.03006E+13"),
        "{err}"
    );
    let export = crate::common::fixture("real/zendesk_plum_2023.csv.gz");
    let out = wd.cxm().args(["tickets", &export]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("column 'Requester id' (customer_id)"), "{err}");
    // inspect lists it among the file's problems.
    let out = wd.cxm().args(["inspect", "t.csv"]).output().unwrap();
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(
        shown.contains("'customer_id' (customer_id): 2 of the first 4 values"),
        "{shown}"
    );
}

/// DOS's end-of-file mark (0x1A) after the last line, as old Windows tools write it,
/// is no row: an ASCII file and a Windows-1252 one (told as such, the mark being no
/// sign of a binary file) give the figures of the file without it, with no rejected
/// row; `-v` says the mark was not read.
#[test]
fn a_dos_end_of_file_mark_is_no_row() {
    let wd = Workdir::new();
    let plain =
        b"ticket_id,created_at,team\n1,2025-01-01T00:00:00Z,A\n2,2025-01-02T00:00:00Z,caf\xe9\n";
    let ascii = b"ticket_id,created_at,team\n1,2025-01-01T00:00:00Z,A\n2,2025-01-02T00:00:00Z,B\n";
    // The mark alone, after a line end, twice, or with line ends after it.
    for (name, body, teams, mark) in [
        ("ascii.csv", &ascii[..], ["A", "B"], &b"\x1a"[..]),
        ("ansi.csv", &plain[..], ["A", "café"], &b"\x1a"[..]),
        ("crlf.csv", &ascii[..], ["A", "B"], &b"\x1a\r\n"[..]),
        ("twice.csv", &ascii[..], ["A", "B"], &b"\x1a\x1a"[..]),
        ("ansi_lf.csv", &plain[..], ["A", "café"], &b"\x1a\n"[..]),
        ("many_ends.csv", &ascii[..], ["A", "B"], &b"\x1a\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n"[..]),
    ] {
        let mut marked = body.to_vec();
        marked.extend_from_slice(mark);
        wd.write(name, &marked);
        let out = wd
            .cxm()
            .args(["tickets", name, "--by", "team", "--format", "csv", "-v"])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{err}");
        assert!(err.contains("2 rows read = 2 used + 0 rejected"), "{err}");
        assert!(
            err.contains("its DOS end-of-file mark (0x1A) not read"),
            "{err}"
        );
        let rows = parse_csv(&out.stdout);
        let got: Vec<(&str, &str)> = rows
            .iter()
            .map(|r| (r["team"].as_str(), r["tickets"].as_str()))
            .collect();
        assert_eq!(got, [(teams[0], "1"), (teams[1], "1")], "{name}");
    }
}
