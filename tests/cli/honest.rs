//! Inputs that used to give a wrong figure with exit 0: line ends, rejected rows
//! hiding good ones, non-finite and negative numbers, user date formats, the
//! `--verbose` accounting of a window, and `--fail-if` on the reported value.

use crate::common::{assert_num, parse_csv, Workdir};

/// A: 1 h to first response, B: 30 min. Mean 0.75 h, two tickets, whatever the line ends.
#[test]
fn lone_cr_and_mixed_line_ends_are_line_ends() {
    let wd = Workdir::new();
    let lines = [
        "ticket_id,created_at,first_response_at",
        "A,2025-03-03T09:00:00Z,2025-03-03T10:00:00Z",
        "B,2025-03-03T09:00:00Z,2025-03-03T09:30:00Z",
    ];
    let cr = lines.join("\r") + "\r";
    let mixed = format!("{}\r\n{}\r{}\n", lines[0], lines[1], lines[2]);
    // A CR inside quotes stays part of the value, so the row is still one ticket.
    let quoted = format!(
        "{}\r\"A\",2025-03-03T09:00:00Z,2025-03-03T10:00:00Z\r{}\r",
        lines[0], lines[2]
    );
    for (name, text) in [("cr.csv", cr), ("mixed.csv", mixed), ("quoted.csv", quoted)] {
        wd.write(name, text.as_bytes());
        let rows = wd.csv_rows(&["tickets", name]);
        assert_eq!(rows.len(), 1, "{name}");
        assert_eq!(rows[0]["tickets"], "2", "{name}");
        assert_num(&rows[0], "first_response_mean_hours", 0.75);
    }
}

/// D1 is good on one line and has a bad creation time on another: the good one is the
/// ticket, whichever line comes first and whichever `--keep`; the bad line is a
/// rejected row, not a duplicate.
#[test]
fn a_rejected_row_does_not_hide_a_good_ticket_with_its_id() {
    let wd = Workdir::new();
    let good = "D1,2025-03-03T09:00:00Z,2025-03-03T10:00:00Z";
    let bad = "D1,bad,";
    for (name, body) in [
        ("good_first.csv", [good, bad]),
        ("bad_first.csv", [bad, good]),
    ] {
        wd.write(
            name,
            format!(
                "ticket_id,created_at,first_response_at\n{}\n{}\n",
                body[0], body[1]
            )
            .as_bytes(),
        );
        for keep in ["last", "first"] {
            let rows = wd.csv_rows(&["tickets", name, "--keep", keep, "-q"]);
            assert_eq!(rows[0]["tickets"], "1", "{name} --keep {keep}");
            assert_num(&rows[0], "first_response_mean_hours", 1.0);
            assert_eq!(
                wd.accounting(&["tickets", name, "--keep", keep]),
                format!("cxm: {name}: 2 rows read = 1 used + 1 rejected + 0 duplicates"),
            );
        }
    }
}

/// Infinities, 1e309 (overflows to infinity) and negative amounts are rejected
/// values, each row left out whole; C (10), D (20) and N, whose `NaN` is a missing
/// MRR (SPEC §14), count: 3 customers, 30 of MRR.
#[test]
fn non_finite_and_negative_mrr_are_rejected() {
    let wd = Workdir::new();
    wd.write(
        "subs.csv",
        b"customer_id,start_date,end_date,mrr
C,2024-12-01,,10
D,2024-12-01,,20
N,2024-12-01,,NaN
I,2024-12-01,,inf
J,2024-12-01,,-inf
O,2024-12-01,,1e309
M,2024-12-01,,-5
H,2024-12-01,,1e308
",
    );
    let out = wd
        .cxm()
        .args([
            "churn", "subs.csv", "--period", "2025-01", "--format", "json",
        ])
        .args(["--rejects", "r.csv"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[0]["customers_start"].as_i64(), Some(3), "{v}");
    assert_eq!(v[0]["mrr_start"].as_f64(), Some(30.0), "{v}");
    let rejects = std::fs::read_to_string(wd.path("r.csv")).unwrap();
    assert!(!rejects.contains(",N,"), "{rejects}");
    for (id, reason) in [
        ("I", "unparseable number"),
        ("J", "unparseable number"),
        ("O", "unparseable number"),
        ("M", "negative value"),
        // Finite, but no subscription's: two of them would sum to infinity.
        ("H", "implausibly large value"),
    ] {
        assert!(
            rejects
                .lines()
                .any(|l| l.contains(reason) && l.contains(&format!(",{id},"))),
            "{id}: {rejects}"
        );
    }
}

/// Replies and reopens: only T1 (1 reply, 0 reopens: first contact) and T2 (2 replies,
/// 1 reopen) are readable (T3's `NaN` replies are missing, its `inf` reopens
/// rejected), so FCR = 1 of 2 resolved = 50 % and reopens 1 of 2. A count
/// is whole (T5's half reopen and 2.5 replies are rejected; `1.0` would read) and
/// below a million (T6's 10^23 replies is some other number).
#[test]
fn non_finite_and_negative_counts_are_rejected() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket_id,created_at,resolved_at,agent_replies,reopens
T1,2025-03-03T09:00:00Z,2025-03-03T10:00:00Z,1,0
T2,2025-03-03T09:00:00Z,2025-03-03T10:00:00Z,2,1
T3,2025-03-03T09:00:00Z,2025-03-03T10:00:00Z,NaN,inf
T4,2025-03-03T09:00:00Z,2025-03-03T10:00:00Z,-1,-2
T5,2025-03-03T09:00:00Z,2025-03-03T10:00:00Z,2.5,0.5
T6,2025-03-03T09:00:00Z,2025-03-03T10:00:00Z,99999999999999999999999,1e7
",
    );
    let out = wd
        .cxm()
        .args(["tickets", "t.csv", "--format", "csv", "--rejects", "r.csv"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let rows = crate::common::parse_csv(&out.stdout);
    assert_eq!(rows[0]["tickets"], "6");
    assert_num(&rows[0], "fcr_pct", 50.0);
    assert_num(&rows[0], "reopen_pct", 50.0);
    assert_num(&rows[0], "replies_per_resolution", 1.5);
    let rejects = std::fs::read_to_string(wd.path("r.csv")).unwrap();
    let has = |column: &str, reason: &str, value: &str| {
        rejects
            .lines()
            .any(|l| l.contains(&format!("{reason},{column},{value},")))
    };
    assert!(
        !has("agent_replies", "unparseable number", "NaN"),
        "{rejects}"
    );
    assert!(has("reopens", "unparseable number", "inf"), "{rejects}");
    // A negative number is no formula: written as it is.
    assert!(has("agent_replies", "negative value", "-1"), "{rejects}");
    assert!(has("reopens", "negative value", "-2"), "{rejects}");
    let not_whole = "not a whole count from 0 to a million";
    assert!(has("agent_replies", not_whole, "2.5"), "{rejects}");
    assert!(has("reopens", not_whole, "0.5"), "{rejects}");
    assert!(
        has("agent_replies", not_whole, "99999999999999999999999"),
        "{rejects}"
    );
    assert!(has("reopens", not_whole, "1e7"), "{rejects}");
}

/// A survey score of inf is a bad value, rejected and located; a `NaN`, `nan` or
/// `NA` is a survey left unanswered, as a blank is (SPEC §14): of five rows, one NPS 9
/// is used, one rejected, three without a score.
#[test]
fn an_inf_score_is_rejected_and_a_nan_unanswered() {
    let wd = Workdir::new();
    wd.write(
        "s.csv",
        b"response_id,submitted_at,nps
R1,2025-01-01T00:00:00Z,inf
R2,2025-01-01T00:00:00Z,NaN
R3,2025-01-01T00:00:00Z,nan
R4,2025-01-01T00:00:00Z,9
R5,2025-01-01T00:00:00Z,NA
",
    );
    assert_eq!(
        wd.accounting(&["surveys", "s.csv"]),
        "cxm: s.csv: 5 rows read = 1 used + 1 rejected + 3 without a score"
    );
    wd.cxm()
        .args(["surveys", "s.csv", "--strict"])
        .assert()
        .code(3);
}

/// `%+` is RFC 3339 with its offset (09:00+01:00 → 08:00Z; reply 30 min later), and
/// `%s` is epoch seconds (1741000000 and 3,600 s later: 1 h).
#[test]
fn user_date_formats_with_offsets_and_epoch_seconds() {
    let wd = Workdir::new();
    wd.write(
        "rfc.csv",
        b"ticket_id,created_at,first_response_at
A,2025-03-03T09:00:00+01:00,2025-03-03T09:30:00+01:00
",
    );
    let rows = wd.csv_rows(&[
        "tickets",
        "rfc.csv",
        "--date-format",
        "%+",
        "--every",
        "day",
    ]);
    assert_num(&rows[0], "first_response_mean_hours", 0.5);
    // 08:00 UTC falls on 2025-03-03.
    assert_eq!(rows[0]["period"], "2025-03-03");
    wd.write(
        "epoch.csv",
        b"ticket_id,created_at,first_response_at
E,1741000000,1741003600
",
    );
    // 1741000000 s = 2025-03-03T11:06:40Z.
    let rows = wd.csv_rows(&[
        "tickets",
        "epoch.csv",
        "--date-format",
        "%s",
        "--since",
        "2025-03-03T11:06:40Z",
        "--until",
        "2025-03-03T11:06:41Z",
    ]);
    assert_eq!(rows[0]["tickets"], "1");
    assert_num(&rows[0], "first_response_mean_hours", 1.0);
}

/// Three tickets, one in the week of 2025-03-03: one used, two outside the window.
/// One response in the window, one before it.
#[test]
fn verbose_counts_rows_outside_the_window_apart() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket_id,created_at
A,2025-03-03T09:00:00Z
B,2025-02-01T09:00:00Z
C,2025-04-01T09:00:00Z
",
    );
    assert_eq!(
        wd.accounting(&["tickets", "t.csv", "--period", "2025-W10"]),
        "cxm: t.csv: 3 rows read = 1 used + 0 rejected + 0 duplicates + 2 outside the window"
    );
    wd.write(
        "s.csv",
        b"response_id,submitted_at,csat
R1,2025-03-04,5
R2,2025-02-01,4
",
    );
    assert_eq!(
        wd.accounting(&["surveys", "s.csv", "--period", "2025-W10"]),
        "cxm: s.csv: 2 rows read = 1 used + 0 rejected + 0 without a score + 1 outside the window"
    );
}

/// CSAT of 2 satisfied out of 3 = 66.666…%, reported as 66.6667: the rule is checked
/// against the reported figure.
#[test]
fn fail_if_compares_the_reported_value() {
    let wd = Workdir::new();
    wd.write("s.csv", b"response_id,csat\nR1,5\nR2,4\nR3,1\n");
    let code = |rule: &str| {
        wd.cxm()
            .args(["surveys", "s.csv", "-q", "--fail-if", rule])
            .output()
            .unwrap()
            .status
            .code()
    };
    assert_eq!(code("csat_pct<66.6667"), Some(0));
    assert_eq!(code("csat_pct<=66.6667"), Some(4));
}

/// A 1–10 satisfaction column read on the default 1–5 CSAT scale would reject most
/// rows and report a CSAT from the few that fit (the Botanic NPS survey: 12,887 of
/// 13,893): it stops instead, naming the scale that holds the scores.
#[test]
fn scores_mostly_off_the_default_scale_stop() {
    let w = Workdir::new();
    w.write(
        "s.csv",
        b"response_id,submitted_at,csat\n1,2025-01-01,10\n2,2025-01-02,8\n3,2025-01-03,3\n4,2025-01-04,9\n",
    );
    w.cxm()
        .args(["surveys", "s.csv"])
        .assert()
        .code(3)
        .stderr(predicates::str::contains("--scale csat=1-10"));
    // With the scale given: satisfied = 9–10 on 1–10, 2 of 4.
    let rows = w.csv_rows(&["surveys", "s.csv", "--scale", "csat=1-10", "-q"]);
    assert_eq!(rows[0]["csat_responses"], "4");
    assert_eq!(rows[0]["csat_pct"], "50");
}

/// A window whose rows are all blank or rejected holds rows: not a stale export
/// (SPEC §14 speaks of a window that holds no rows), with or without `--compare`;
/// the rejects say what is wrong with them. March holds a response with no score and
/// one scored 9 on a 1–5 CSAT scale; February a usable one. A ticket of March whose
/// resolution comes before its creation is rejected, one of January is used.
#[test]
fn a_window_of_blank_or_rejected_rows_is_not_called_stale() {
    let w = Workdir::new();
    w.write(
        "s.csv",
        b"response_id,submitted_at,survey,score\n1,2025-03-10T10:00:00Z,csat,\n2,2025-03-11T10:00:00Z,csat,9\n3,2025-02-10T10:00:00Z,csat,5\n",
    );
    w.write(
        "t.csv",
        b"ticket_id,created_at,resolved_at\n1,2025-03-10 10:00,2025-03-09 10:00\n2,2025-01-05 10:00,2025-01-05 12:00\n",
    );
    for (args, rejected) in [
        (&["surveys", "s.csv"][..], "1 rejected"),
        (
            &["surveys", "s.csv", "--compare", "previous"][..],
            "1 rejected",
        ),
        (&["tickets", "t.csv"][..], "1 rejected"),
    ] {
        let out = w
            .cxm()
            .args(args)
            .args(["--period", "2025-03", "--format", "csv"])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{args:?}: {err}");
        assert!(err.contains(rejected), "{args:?}: {err}");
        assert!(!err.contains("holds none"), "{args:?}: {err}");
    }
    // April holds no row at all: stale.
    let out = w
        .cxm()
        .args(["surveys", "s.csv", "--period", "2025-04", "--format", "csv"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(
            "holds none of the responses: responses run from 2025-02-10 10:00 to 2025-03-11 10:00"
        ),
        "{err}"
    );
}

/// A window that holds none of the rows while the file has rows elsewhere (a cron job
/// on a stale export) says so, naming the window and the rows' dates; the report is
/// still written (the empty window is a fact, not an error).
#[test]
fn an_empty_window_over_a_stale_export_warns() {
    let w = Workdir::new();
    w.write(
        "t.csv",
        b"ticket_id,created_at\n1,2025-01-02 10:00\n2,2025-01-05 16:30\n",
    );
    let out = w
        .cxm()
        .args([
            "tickets", "t.csv", "--period", "2025-W10", "--format", "csv",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("holds none of the tickets"), "{err}");
    assert!(
        err.contains("2025-01-02 10:00 to 2025-01-05 16:30"),
        "{err}"
    );
    // A window with rows: no such warning.
    let out = w
        .cxm()
        .args([
            "tickets", "t.csv", "--period", "2025-W01", "--format", "csv",
        ])
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&out.stderr).contains("holds none"));
    w.write(
        "s.csv",
        b"response_id,submitted_at,csat\n1,2025-01-02 10:00,5\n",
    );
    let out = w
        .cxm()
        .args(["surveys", "s.csv", "--period", "2025-03", "--format", "csv"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("holds none of the responses"));
}

/// Missing markers read as blank cells (SPEC §14): T1 replied in 1 h, `NA` resolved;
/// T2 `N/A` reply, resolved in 2 h, `N/A` team; T3 `?` times, `NULL` replies; T4
/// replied in 30 min, resolved in 1 h, team `-` (a marker only with `--na -`); T5's
/// `NA` creation time is a missing required value. So 4 tickets, replied 2 (median
/// 0.75 h), resolved 2 (median 1.5 h), 1 rejected, and nothing unreadable.
#[test]
fn missing_markers_are_blank_cells() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket_id,created_at,first_response_at,resolved_at,team,agent_replies
T1,2025-03-03T09:00:00Z,2025-03-03T10:00:00Z,NA,a,1
T2,2025-03-03T09:00:00Z,N/A,2025-03-03T11:00:00Z,N/A,2
T3,2025-03-03T09:00:00Z,?,?,a,NULL
T4,2025-03-03T09:00:00Z,2025-03-03T09:30:00Z,2025-03-03T10:00:00Z,-,None
T5,NA,2025-03-03T09:30:00Z,,a,1
",
    );
    let out = wd
        .cxm()
        .args(["tickets", "t.csv", "--format", "csv", "--rejects", "r.csv"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let rows = crate::common::parse_csv(&out.stdout);
    assert_eq!(rows[0]["tickets"], "4");
    assert_eq!(rows[0]["responded"], "2");
    assert_num(&rows[0], "first_response_median_hours", 0.75);
    assert_eq!(rows[0]["resolved"], "2");
    assert_num(&rows[0], "resolution_median_hours", 1.5);
    let rejects = std::fs::read_to_string(wd.path("r.csv")).unwrap();
    assert_eq!(rejects.lines().count(), 2, "{rejects}");
    assert!(
        rejects.contains("missing required value,created_at"),
        "{rejects}"
    );
    // A blank team: N/A, and `-` once it is a marker.
    let blank_team = |extra: &[&str]| {
        let rows = wd.csv_rows(&[&["tickets", "t.csv", "--where", "team=", "-q"], extra].concat());
        rows[0]["tickets"].clone()
    };
    assert_eq!(blank_team(&[]), "1");
    assert_eq!(blank_team(&["--na", "-"]), "2");
}

/// An event log read alone says so too: its two tickets were created on 2025-03-30
/// 22:30 and 2025-03-31 23:30 (each by its first event), both before a window from
/// April. A window holding one of them says nothing.
#[test]
fn an_empty_window_over_a_stale_event_log_warns() {
    let w = Workdir::new();
    w.write(
        "e.csv",
        b"ticket_id,at,author_role,status\n\
A1,2025-03-30 22:30:00,customer,new\n\
A1,2025-03-31 03:30:00,agent,solved\n\
A2,2025-03-31 23:30:00,customer,new\n\
A2,2025-04-01 01:30:00,agent,solved\n",
    );
    let (out, err) = w.csv_and_stderr(&["tickets", "--events", "e.csv", "--since", "2025-04-01"]);
    assert_eq!(crate::common::parse_csv(&out)[0]["tickets"], "0");
    assert!(
        err.contains(
            "holds none of the tickets: tickets run from 2025-03-30 22:30 to 2025-03-31 23:30 (e.csv)"
        ),
        "{err}"
    );
    let (_, err) = w.csv_and_stderr(&["tickets", "--events", "e.csv", "--since", "2025-03-31"]);
    assert!(!err.contains("holds none"), "{err}");
    std::fs::create_dir(w.path("d")).unwrap();
    std::fs::copy(w.path("e.csv"), w.path("d/events.csv")).unwrap();
    let (_, err) = w.csv_and_stderr(&["report", "d", "--since", "2025-04-01"]);
    assert!(err.contains("holds none of the tickets"), "{err}");
}

/// A row rejected whole is rejected once, and its other values are not judged: row 2
/// lacks its id (its reply before creation is not counted as well), row 3 has an
/// unreadable creation time, row 4 both (one reject: the id). Row 5 alone is used.
#[test]
fn a_row_rejected_whole_is_rejected_once() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket_id,created_at,first_response_at\n\
,2025-03-09T09:00:00Z,2025-03-09T08:00:00Z\n\
T2,garbage,2025-03-09T08:00:00Z\n\
,bad,x\n\
T3,2025-03-09T09:00:00Z,2025-03-09T10:00:00Z\n",
    );
    let (out, err) = wd.csv_and_stderr(&["tickets", "t.csv", "-v"]);
    assert!(err.contains("4 rows read = 1 used + 3 rejected"), "{err}");
    assert!(
        err.contains("2 rejected: missing required value in ticket_id"),
        "{err}"
    );
    assert!(
        err.contains("1 rejected: unparseable timestamp in created_at"),
        "{err}"
    );
    assert!(!err.contains("first_response_at"), "{err}");
    assert_num(
        &crate::common::parse_csv(&out)[0],
        "first_response_mean_hours",
        1.0,
    );
}

/// A dropped repeat's values are not judged: T1's stale first row answers before the
/// ticket was created, its kept row an hour after. Only T2's own negative reply is a
/// reject; with `--where team=a` (T3 alone) none is, and `--strict` passes.
#[test]
fn a_dropped_repeats_values_are_not_rejected() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket_id,created_at,first_response_at,team\n\
T1,2025-03-09T09:00:00Z,2025-03-09T08:00:00Z,x\n\
T1,2025-03-09T09:00:00Z,2025-03-09T10:00:00Z,x\n\
T2,2025-03-09T09:00:00Z,2025-03-09T08:00:00Z,x\n\
T3,2025-03-09T09:00:00Z,2025-03-09T11:00:00Z,a\n",
    );
    let (out, err) = wd.csv_and_stderr(&["tickets", "t.csv", "-v"]);
    assert!(
        err.contains("1 rejected: negative duration in first_response_at (first at t.csv:4"),
        "{err}"
    );
    // T1 1 h, T3 2 h; T2's reply is rejected.
    assert_num(
        &crate::common::parse_csv(&out)[0],
        "first_response_mean_hours",
        1.5,
    );
    let (out, err) = wd.csv_and_stderr(&["tickets", "t.csv", "--where", "team=a", "--strict"]);
    assert!(!err.contains("rejected"), "{err}");
    assert_num(
        &crate::common::parse_csv(&out)[0],
        "first_response_mean_hours",
        2.0,
    );
}

/// A survey row with its ticket's id and nothing else is a response without a score,
/// not a blank line, also without `--tickets` (which would read the id anyway).
#[test]
fn a_survey_row_with_only_a_ticket_id_is_without_a_score() {
    let wd = Workdir::new();
    wd.write(
        "s.csv",
        b"ticket_id,submitted_at,csat\nT1,2025-03-01T10:00:00Z,5\nT2,,\n,,\n",
    );
    assert_eq!(
        wd.accounting(&["surveys", "s.csv"]),
        "cxm: s.csv: 2 rows read = 1 used + 0 rejected + 1 without a score; 1 row blank in every column read, skipped"
    );
}

/// A duration column's value past any span of times cxm reads (`1e20` minutes, a
/// corrupt cell) is a rejected value, not a mean of 10^17 hours: 30 and 90 minutes
/// give a mean of 1 h, and `--strict` stops on it.
#[test]
fn a_duration_past_two_centuries_is_rejected() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket_id,created_at,first_response_minutes\n1,2025-01-01T00:00:00Z,30\n2,2025-01-01T00:00:00Z,1e20\n3,2025-01-01T00:00:00Z,90\n",
    );
    let (out, err) = wd.csv_and_stderr(&["tickets", "t.csv"]);
    let rows = parse_csv(&out);
    assert_eq!(rows[0]["responded"], "2");
    assert_num(&rows[0], "first_response_mean_hours", 1.0);
    assert!(
        err.contains("1 rejected: a duration longer than 200 years (the span of the times cxm reads) in first_response_minutes (first at t.csv:3"),
        "{err}"
    );
    wd.cxm()
        .args(["tickets", "t.csv", "--strict"])
        .assert()
        .code(3);
    // `1e305` hours overflows in seconds: past any span too, not unreadable.
    wd.write(
        "h.csv",
        b"ticket_id,created_at,first_response_hours\n1,2025-01-01T00:00:00Z,1e305\n",
    );
    let (_, err) = wd.csv_and_stderr(&["tickets", "h.csv"]);
    assert!(err.contains("a duration longer than 200 years"), "{err}");
}

/// A window starting or ending inside a bucket makes that bucket's row a part of it,
/// which reads as a quiet week: said. 2025-Q2 runs from Tuesday 1 April (ISO week 14
/// starts Monday 31 March) to 30 June, a Monday, whose week 27 runs to 6 July: weeks
/// 14 and 27 are cut, and week 14's row counts T2 alone (T1 is on 31 March). By
/// month the quarter cuts none: no warning. `report` says it once for its tickets and
/// surveys, churn its own line (it counts such buckets whole).
#[test]
fn a_window_cutting_a_bucket_is_said() {
    let w = Workdir::new();
    w.write(
        "tickets.csv",
        b"ticket_id,created_at\nT1,2025-03-31 10:00\nT2,2025-04-02 10:00\nT3,2025-06-30 10:00\n",
    );
    w.write(
        "surveys.csv",
        b"response_id,submitted_at,csat\n1,2025-04-02 10:00,5\n",
    );
    let run = |args: &[&str]| {
        let (out, err) = w.csv_and_stderr(args);
        (parse_csv(&out), err)
    };
    let cut = "starts or ends inside 2025-W14 and 2025-W27: their rows count only the window's part of each week, not the whole week";
    let (rows, err) = run(&[
        "tickets",
        "tickets.csv",
        "--period",
        "2025-Q2",
        "--every",
        "week",
    ]);
    assert!(err.contains(cut), "{err}");
    assert_eq!(rows[0]["period"], "2025-W14");
    assert_eq!(rows[0]["tickets"], "1");
    let (_, err) = run(&[
        "surveys",
        "surveys.csv",
        "--period",
        "2025-Q2",
        "--every",
        "week",
    ]);
    assert!(err.contains(cut), "{err}");
    for every in ["month", "quarter"] {
        let (_, err) = run(&[
            "tickets",
            "tickets.csv",
            "--period",
            "2025-Q2",
            "--every",
            every,
        ]);
        assert!(!err.contains("starts or ends inside"), "{every}: {err}");
    }
    // One bucket cut: its row.
    let (_, err) = run(&[
        "tickets",
        "tickets.csv",
        "--since",
        "2025-04-15",
        "--every",
        "month",
    ]);
    assert!(
        err.contains(
            "starts or ends inside 2025-04: its row counts only the window's part of the month"
        ),
        "{err}"
    );
    let (_, err) = run(&["report", ".", "--period", "2025-Q2", "--every", "week"]);
    assert_eq!(err.matches(cut).count(), 1, "{err}");
}

/// Buckets at a window's edges with no rows are said: the table just ends, and its
/// last row may hold part of its days. Tickets in ISO weeks 10 and 11 of 2025, the
/// window's weeks 8 to 13: its first 2 weeks and last 2 hold none. A window still
/// running (ending after --now) has no empty end; one row a ticket, or days, no
/// warning.
/// Responses of March alone in January–April: the first 2 months, and April.
#[test]
fn a_windows_empty_edge_buckets_are_said() {
    let w = Workdir::new();
    w.write(
        "t.csv",
        b"ticket_id,created_at\nT1,2025-03-03 10:00\nT2,2025-03-12 10:00\n",
    );
    w.write(
        "s.csv",
        b"response_id,submitted_at,csat\n1,2025-03-05 10:00,5\n",
    );
    let err = |args: &[&str]| w.csv_and_stderr(args).1;
    let window = [
        "--since",
        "2025-02-17",
        "--until",
        "2025-03-31",
        "--every",
        "week",
    ];
    let ended = err(&[
        &["tickets", "t.csv"][..],
        &window,
        &["--now", "2026-01-01T00:00:00Z"],
    ]
    .concat());
    assert!(
        ended.contains("the window's first 2 weeks (2025-W08 to 2025-W09) hold no tickets: does the data start after the window does? Its first week with tickets, 2025-W10,"),
        "{ended}"
    );
    assert!(
        ended.contains("the window's last 2 weeks (2025-W12 to 2025-W13) hold no tickets: does the data end before the window does? Its last week with tickets, 2025-W11,"),
        "{ended}"
    );
    let running = err(&[
        &["tickets", "t.csv"][..],
        &window,
        &["--now", "2025-03-20T00:00:00Z"],
    ]
    .concat());
    assert!(running.contains("first 2 weeks"), "{running}");
    assert!(!running.contains("the window's last"), "{running}");
    let rows = err(&[&["tickets", "t.csv", "--per-ticket"][..], &window].concat());
    assert!(!rows.contains("hold no tickets"), "{rows}");
    // A week the window cuts to its weekend (November 2025 starts on a Saturday),
    // without tickets, is no sign of missing data: not said, as days are not.
    w.write(
        "we.csv",
        b"ticket_id,created_at\n1,2025-10-31 10:00\n2,2025-11-03 10:00\n3,2025-11-28 10:00\n",
    );
    let weekend = err(&[
        "tickets", "we.csv", "--period", "2025-11", "--every", "week",
    ]);
    assert!(
        !weekend.contains("hold no tickets") && !weekend.contains("holds no tickets"),
        "{weekend}"
    );
    // A log read alone, as a ticket file.
    w.write(
        "log.csv",
        b"ticket_id,at,author_role,public,status\n\
          1,2025-04-08T10:00:00Z,customer,true,new\n1,2025-04-08T11:00:00Z,agent,true,solved\n",
    );
    let log = err(&[
        "tickets", "--events", "log.csv", "--period", "2025-Q2", "--every", "month",
    ]);
    assert!(
        log.contains("the window's last 2 months (2025-05 to 2025-06) hold no tickets"),
        "{log}"
    );
    // Days without tickets at the edges are a weekend's or a holiday's: not said.
    let days = [
        "--since",
        "2025-03-01",
        "--until",
        "2025-03-16",
        "--every",
        "day",
    ];
    let by_day = err(&[&["tickets", "t.csv"][..], &days].concat());
    assert!(!by_day.contains("hold no tickets"), "{by_day}");
    let months = [
        "--since",
        "2025-01-01",
        "--until",
        "2025-05-01",
        "--every",
        "month",
    ];
    let surveys = err(&[&["surveys", "s.csv"][..], &months].concat());
    assert!(
        surveys.contains("the window's first 2 months (2025-01 to 2025-02) hold no responses"),
        "{surveys}"
    );
    assert!(
        surveys.contains("the window's last month (2025-04) holds no responses"),
        "{surveys}"
    );
}

/// The stale warning's date range comes from every block of every file (it is
/// worked out block by block): the earliest ticket ends the second file, the
/// latest opens the first file's last block, past 8 MiB.
#[test]
fn a_stale_warnings_range_spans_every_block_and_file() {
    let w = Workdir::new();
    let mut big = String::from("ticket_id,created_at,team\n");
    for i in 0..250_000 {
        big.push_str(&format!(
            "T{i:07},2025-03-{:02}T10:00:00Z,support-team-one\n",
            10 + i % 10
        ));
    }
    big.push_str("Z1,2025-06-30T23:15:00Z,support-team-one\n");
    assert!(big.len() > 9 << 20);
    w.write("big.csv", big.as_bytes());
    w.write(
        "small.csv",
        b"ticket_id,created_at,team\nS1,2025-03-12T10:00:00Z,x\nS2,2025-01-04T08:05:00Z,x\n",
    );
    let out = w
        .cxm()
        .args([
            "tickets",
            "big.csv",
            "small.csv",
            "--period",
            "2026",
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("tickets run from 2025-01-04 08:05 to 2025-06-30 23:15"),
        "{err}"
    );
}

/// With repeated ids, `--keep first` and `--where`, the stale warning's range is of
/// the rows the filter keeps: T1 is team b's ticket (its first row), so its January
/// row in t2.csv is left out with it, and the window 2025-01 holds none: the kept
/// rows run from 2025-06-01 10:00 to 2025-06-02 10:00 (read block by block, its rows
/// were marked against each block's numbering: no warning).
#[test]
fn a_stale_warning_with_repeated_ids_keeps_to_the_filtered_rows() {
    let w = Workdir::new();
    w.write(
        "t1.csv",
        b"ticket_id,created_at,team\nX0,2025-06-01T10:00:00Z,a\nT1,2025-03-01T10:00:00Z,b\n",
    );
    w.write(
        "t2.csv",
        b"ticket_id,created_at,team\nF,2025-06-02T10:00:00Z,a\nT1,2025-01-05T10:00:00Z,a\n",
    );
    let out = w
        .cxm()
        .args([
            "tickets", "t1.csv", "t2.csv", "--where", "team=a", "--keep", "first",
        ])
        .args(["--period", "2025-01", "--format", "csv"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(
            "holds none of the tickets: tickets run from 2025-06-01 10:00 to 2025-06-02 10:00"
        ),
        "{err}"
    );
}
