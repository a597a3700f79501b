//! Ticket metrics on hand-made fixtures. Every expected value is worked out below.

use crate::common::{assert_empty, assert_num, csv_rows, fixture, parse_csv, Workdir};

// basic.csv, durations in hours (FRT = first response − created, RES = resolved − created):
//   T1 A email  FRT 0.5   RES 2    replies 1 reopens 0  → first contact
//   T2 A chat   FRT 1.0   RES 4    replies 2            → not first contact
//   T3 A email  FRT 2.0   open
//   T4 A email  no response, open
//   T5 B chat   FRT 0.25  RES 1    replies 1 reopens 1  → not first contact, reopened
//   T6 B email  FRT 0.75  RES 24   replies 1 reopens 0  → first contact
//   T7 B email  FRT −1 (rejected) RES 3  replies 1 reopens 0 → first contact
// Linear quantile of sorted x at q: position (n−1)·q, interpolate between neighbours.

#[test]
fn every_metric_overall() {
    let rows = csv_rows(&["tickets", &fixture("tickets/basic.csv")]);
    assert_eq!(rows.len(), 1);
    let r = &rows[0];
    assert_eq!(r["tickets"], "7");
    assert_eq!(r["responded"], "5"); // T7's negative response is rejected, T4 has none
    assert_eq!(r["resolved"], "5");
    assert_eq!(r["open"], "2");
    // FRT [0.25, 0.5, 0.75, 1, 2]: mean 4.5/5; median 0.75; p90 at 3.6 → 1 + 0.6·(2−1)
    assert_num(r, "first_response_mean_hours", 0.9);
    assert_num(r, "first_response_median_hours", 0.75);
    assert_num(r, "first_response_p90_hours", 1.6);
    // RES [1, 2, 3, 4, 24]: mean 34/5; median 3; p90 at 3.6 → 4 + 0.6·20
    assert_num(r, "resolution_mean_hours", 6.8);
    assert_num(r, "resolution_median_hours", 3.0);
    assert_num(r, "resolution_p90_hours", 16.0);
    // first contact among resolved: T1, T6, T7 of T1, T2, T5, T6, T7
    assert_num(r, "fcr_pct", 60.0);
    // reopened among resolved: T5 of 5
    assert_num(r, "reopen_pct", 20.0);
    // within 1h: T1 0.5, T2 exactly 1.0 (met), T5, T6; not T3 → 4 of 5
    assert_num(r, "sla_pct", 80.0);
}

#[test]
fn by_team_odd_and_even_counts() {
    let rows = csv_rows(&["tickets", &fixture("tickets/basic.csv"), "--by", "team"]);
    assert_eq!(rows.len(), 2);
    let (a, b) = (&rows[0], &rows[1]);
    assert_eq!((a["team"].as_str(), b["team"].as_str()), ("A", "B"));
    // A: FRT [0.5, 1, 2] (odd): mean 3.5/3, median 1, p90 at 1.8 → 1 + 0.8·1
    assert_eq!(
        (
            a["tickets"].as_str(),
            a["responded"].as_str(),
            a["resolved"].as_str(),
            a["open"].as_str()
        ),
        ("4", "3", "2", "2")
    );
    assert_num(a, "first_response_mean_hours", 3.5 / 3.0);
    assert_num(a, "first_response_median_hours", 1.0);
    assert_num(a, "first_response_p90_hours", 1.8);
    // A: RES [2, 4] (even): mean 3, median 3, p90 at 0.9 → 2 + 0.9·2
    assert_num(a, "resolution_mean_hours", 3.0);
    assert_num(a, "resolution_median_hours", 3.0);
    assert_num(a, "resolution_p90_hours", 3.8);
    assert_num(a, "fcr_pct", 50.0); // T1 of T1, T2
    assert_num(a, "reopen_pct", 0.0);
    assert_num(a, "sla_pct", 200.0 / 3.0); // T1, T2 (exactly 1h) of T1, T2, T3
                                           // B: FRT [0.25, 0.75] (even, T7 rejected): mean 0.5, median 0.5, p90 0.25 + 0.9·0.5
    assert_eq!(
        (
            b["tickets"].as_str(),
            b["responded"].as_str(),
            b["resolved"].as_str(),
            b["open"].as_str()
        ),
        ("3", "2", "3", "0")
    );
    assert_num(b, "first_response_mean_hours", 0.5);
    assert_num(b, "first_response_median_hours", 0.5);
    assert_num(b, "first_response_p90_hours", 0.7);
    // B: RES [1, 3, 24]: mean 28/3, median 3, p90 at 1.8 → 3 + 0.8·21
    assert_num(b, "resolution_mean_hours", 28.0 / 3.0);
    assert_num(b, "resolution_median_hours", 3.0);
    assert_num(b, "resolution_p90_hours", 19.8);
    assert_num(b, "fcr_pct", 200.0 / 3.0); // T6, T7 of T5, T6, T7
    assert_num(b, "reopen_pct", 100.0 / 3.0); // T5
    assert_num(b, "sla_pct", 100.0);
}

#[test]
fn by_two_columns() {
    let rows = csv_rows(&[
        "tickets",
        &fixture("tickets/basic.csv"),
        "--by",
        "team,channel",
    ]);
    let keys: Vec<(String, String, String)> = rows
        .iter()
        .map(|r| {
            (
                r["team"].clone(),
                r["channel"].clone(),
                r["tickets"].clone(),
            )
        })
        .collect();
    let k = |t: &str, c: &str, n: &str| (t.to_string(), c.to_string(), n.to_string());
    assert_eq!(
        keys,
        vec![
            k("A", "chat", "1"),
            k("A", "email", "3"),
            k("B", "chat", "1"),
            k("B", "email", "2")
        ]
    );
    // A/email: T1, T3, T4 → FRT [0.5, 2]: mean 1.25, p90 0.5 + 0.9·1.5; RES [2]
    let ae = &rows[1];
    assert_num(ae, "first_response_mean_hours", 1.25);
    assert_num(ae, "first_response_p90_hours", 1.85);
    assert_num(ae, "resolution_median_hours", 2.0);
    // B/email: T6, T7 → RES [24, 3]: mean 13.5, p90 3 + 0.9·21
    let be = &rows[3];
    assert_eq!(be["responded"], "1");
    assert_num(be, "resolution_mean_hours", 13.5);
    assert_num(be, "resolution_p90_hours", 21.9);
}

#[test]
fn time_unit_minutes_and_sla_target() {
    // Same data in minutes: FRT mean 0.9h = 54 min; with --sla 30m only T1 (30, met
    // exactly) and T5 (15) of the 5 responded are within target → 40%.
    let rows = csv_rows(&[
        "tickets",
        &fixture("tickets/basic.csv"),
        "--time-unit",
        "minutes",
        "--sla",
        "30m",
    ]);
    let r = &rows[0];
    assert_num(r, "first_response_mean_minutes", 54.0);
    assert_num(r, "resolution_p90_minutes", 960.0);
    assert_num(r, "sla_pct", 40.0);
    // `--unit` is the same option (not a misspelt `--until`).
    let rows = csv_rows(&[
        "tickets",
        &fixture("tickets/basic.csv"),
        "--unit",
        "minutes",
    ]);
    assert_num(&rows[0], "first_response_mean_minutes", 54.0);
}

#[test]
fn iso_weeks_across_the_year_boundary() {
    // 2024-12-29 is a Sunday (2024-W52); ISO week 2025-W01 runs Mon 2024-12-30 to
    // Sun 2025-01-05; 2025-01-06 starts 2025-W02.
    let rows = csv_rows(&["tickets", &fixture("tickets/weeks.csv"), "--every", "week"]);
    let got: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r["period"].as_str(), r["tickets"].as_str()))
        .collect();
    assert_eq!(
        got,
        vec![("2024-W52", "1"), ("2025-W01", "2"), ("2025-W02", "1")]
    );
}

#[test]
fn tz_moves_a_ticket_into_the_previous_day() {
    // 03:00Z on 2025-03-04 is 22:00 on 2025-03-03 in New York (EST, UTC−5);
    // 06:00Z is 01:00 on 2025-03-04.
    let utc = csv_rows(&["tickets", &fixture("tickets/tz.csv"), "--every", "day"]);
    let got: Vec<(&str, &str)> = utc
        .iter()
        .map(|r| (r["period"].as_str(), r["tickets"].as_str()))
        .collect();
    assert_eq!(got, vec![("2025-03-04", "2")]);
    let ny = csv_rows(&[
        "tickets",
        &fixture("tickets/tz.csv"),
        "--every",
        "day",
        "--tz",
        "America/New_York",
    ]);
    let got: Vec<(&str, &str)> = ny
        .iter()
        .map(|r| (r["period"].as_str(), r["tickets"].as_str()))
        .collect();
    assert_eq!(got, vec![("2025-03-03", "1"), ("2025-03-04", "1")]);
}

#[test]
fn period_last_month_with_now() {
    // now = 2025-03-15 → last month is [2025-02-01, 2025-03-01): M2 and M3 only.
    let rows = csv_rows(&[
        "tickets",
        &fixture("tickets/months.csv"),
        "--period",
        "last-month",
        "--now",
        "2025-03-15T12:00:00Z",
    ]);
    assert_eq!(rows[0]["tickets"], "2");
    // since inclusive, until exclusive
    let rows = csv_rows(&[
        "tickets",
        &fixture("tickets/months.csv"),
        "--since",
        "2025-02-01",
        "--until",
        "2025-03-01T00:00:00Z",
    ]);
    assert_eq!(rows[0]["tickets"], "2");
    // the same month in Tokyo (UTC+9) starts 9 hours earlier in UTC: M1 (23:59:59Z on
    // Jan 31 = 08:59:59 Feb 1 local) joins; M3 (08:59:59 Mar 1 local) leaves.
    let rows = csv_rows(&[
        "tickets",
        &fixture("tickets/months.csv"),
        "--period",
        "2025-02",
        "--tz",
        "Asia/Tokyo",
    ]);
    assert_eq!(rows[0]["tickets"], "2");
}

#[test]
fn fcr_from_a_flag_column() {
    // Resolved: F1 yes, F2 No, F3 TRUE, F5 0 → 2 of 4; F4 is unresolved and left out.
    let rows = csv_rows(&["tickets", &fixture("tickets/fcr_flag.csv")]);
    let r = &rows[0];
    assert_eq!(
        (
            r["tickets"].as_str(),
            r["resolved"].as_str(),
            r["open"].as_str()
        ),
        ("5", "4", "1")
    );
    assert_num(r, "fcr_pct", 50.0);
    // no first-response data at all: empty, not zero (how many were answered is
    // not known)
    assert_empty(r, "responded");
    assert_empty(r, "first_response_mean_hours");
    assert_empty(r, "sla_pct");
    assert_empty(r, "reopen_pct");
}

/// First contact is known where both counts are. Resolved: C1 one reply, no reopen
/// (first contact); C2 two replies, no reopen (not); C3 a blank reply count and a
/// reopen, C4 two replies and an `NA` reopen count, C5 one reply and a blank reopen
/// count: unknown, left out. 1 of 2: 50 % (counting C3 and C4, which one count alone
/// settles, gave 1 of 4). A file of blank replies beside reopens has no figure: it
/// was 0 %, the reopened tickets' own.
#[test]
fn fcr_is_known_where_both_counts_are() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket_id,created_at,resolved_at,agent_replies,reopens\n\
          C1,2025-01-06T09:00:00Z,2025-01-06T10:00:00Z,1,0\n\
          C2,2025-01-06T09:00:00Z,2025-01-06T10:00:00Z,2,0\n\
          C3,2025-01-06T09:00:00Z,2025-01-06T10:00:00Z,,1\n\
          C4,2025-01-06T09:00:00Z,2025-01-06T10:00:00Z,2,NA\n\
          C5,2025-01-06T09:00:00Z,2025-01-06T10:00:00Z,1,\n",
    );
    let rows = wd.csv_rows(&["tickets", "t.csv", "-q"]);
    assert_eq!(rows[0]["resolved"], "5");
    assert_num(&rows[0], "fcr_pct", 50.0);
    wd.write(
        "blank.csv",
        b"ticket_id,created_at,resolved_at,agent_replies,reopens\n\
          B1,2025-01-06T09:00:00Z,2025-01-06T10:00:00Z,,1\n\
          B2,2025-01-06T09:00:00Z,2025-01-06T10:00:00Z,,0\n",
    );
    let rows = wd.csv_rows(&["tickets", "blank.csv", "-q"]);
    assert_num(&rows[0], "reopen_pct", 50.0);
    assert_empty(&rows[0], "fcr_pct");
}

#[test]
fn duration_columns_instead_of_timestamps() {
    // Zendesk headers map automatically. FRT minutes [30, 90]: mean 60, p90 30 + 0.9·60;
    // resolution minutes [120, 600]: mean 360, p90 120 + 0.9·480; 1h target: 30 only.
    let rows = csv_rows(&[
        "tickets",
        &fixture("tickets/zendesk_minutes.csv"),
        "--time-unit",
        "minutes",
        "--by",
        "team",
    ]);
    let r = &rows[0];
    assert_eq!(r["team"], "Support");
    assert_eq!(
        (
            r["tickets"].as_str(),
            r["responded"].as_str(),
            r["resolved"].as_str()
        ),
        ("3", "2", "2")
    );
    assert_num(r, "first_response_mean_minutes", 60.0);
    assert_num(r, "first_response_p90_minutes", 84.0);
    assert_num(r, "resolution_mean_minutes", 360.0);
    assert_num(r, "resolution_p90_minutes", 552.0);
    assert_num(r, "sla_pct", 50.0);
    assert_empty(r, "fcr_pct");
}

#[test]
fn day_first_dates_are_read_when_the_file_says_so() {
    // 25/02/2025 can only be day-first, so 01/02/2025 is 1 February.
    let rows = csv_rows(&[
        "tickets",
        &fixture("tickets/day_first.csv"),
        "--every",
        "month",
    ]);
    let got: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r["period"].as_str(), r["tickets"].as_str()))
        .collect();
    assert_eq!(got, vec![("2025-02", "2")]);
}

/// A column blank through the whole sample (no ticket resolved yet in the first
/// 2,000 rows) has its say in the scan that settles day/month order: its
/// `13/06/2025` is day-first, so the one resolution is 5 June 10:00 → 13 June 10:00,
/// 192 h, where the file used to stop as ambiguous.
#[test]
fn a_column_blank_in_the_sample_settles_day_and_month() {
    let wd = Workdir::new();
    let mut text = String::from("ticket_id,created_at,resolved_at\n");
    for i in 0..2100 {
        text.push_str(&format!("S{i},05/06/2025 10:00,\n"));
    }
    text.push_str("Z1,05/06/2025 10:00,13/06/2025 10:00\n");
    wd.write("late.csv", text.as_bytes());
    let rows = wd.csv_rows(&["tickets", "late.csv", "--every", "month"]);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0]["period"], "2025-06");
    assert_eq!(rows[0]["tickets"], "2101");
    assert_eq!(rows[0]["resolved"], "1");
    assert_num(&rows[0], "resolution_mean_hours", 192.0);
}

#[test]
fn every_bucket_label() {
    let f = fixture("tickets/basic.csv");
    for (every, label) in [
        ("day", "2025-03-03"),
        ("week", "2025-W10"),
        ("month", "2025-03"),
        ("quarter", "2025-Q1"),
        ("year", "2025"),
    ] {
        let rows = csv_rows(&["tickets", &f, "--every", every]);
        assert_eq!(rows[0]["period"], label, "--every {every}");
    }
}

/// `replies_per_resolution`: the mean agent_replies of resolved tickets (Front's and
/// Groove's replies per resolution). basic.csv by hand: A resolves T1 (1 reply) and T2
/// (2): 1.5; B resolves T5, T6, T7, one reply each: 1. With an `fcr` flag mapped the
/// replies still count; an unresolved ticket, a blank count and a bad one (rejected)
/// are left out: (1 + 4) / 2.
#[test]
fn replies_per_resolution_of_resolved_tickets() {
    let rows = csv_rows(&["tickets", &fixture("tickets/basic.csv"), "--by", "team"]);
    assert_num(&rows[0], "replies_per_resolution", 1.5);
    assert_num(&rows[1], "replies_per_resolution", 1.0);
    let rows = csv_rows(&["tickets", &fixture("tickets/basic.csv")]);
    assert_num(&rows[0], "replies_per_resolution", 6.0 / 5.0);

    let wd = Workdir::new();
    wd.write(
        "flagged.csv",
        b"ticket_id,created_at,resolved_at,fcr,agent_replies\n\
          X1,2025-03-01T00:00:00Z,2025-03-01T02:00:00Z,yes,1\n\
          X2,2025-03-01T00:00:00Z,2025-03-01T03:00:00Z,no,4\n\
          X3,2025-03-01T00:00:00Z,,no,7\n\
          X4,2025-03-01T00:00:00Z,2025-03-02T00:00:00Z,no,lots\n\
          X5,2025-03-01T00:00:00Z,2025-03-02T00:00:00Z,no,\n",
    );
    let out = wd
        .cxm()
        .args(["tickets", "flagged.csv", "--format", "csv"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let rows = parse_csv(&out.stdout);
    assert_eq!(rows[0]["resolved"], "4");
    assert_num(&rows[0], "replies_per_resolution", 2.5);
    assert_num(&rows[0], "fcr_pct", 25.0); // the flag: X1 of the four resolved
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("1 rejected: unparseable number in agent_replies")
            && err.contains("flagged.csv:5, column 'agent_replies', value 'lots'"),
        "{err}"
    );
    // No replies column: the metric is empty, not zero.
    wd.write(
        "plain.csv",
        b"ticket_id,created_at,resolved_at\nP1,2025-03-01T00:00:00Z,2025-03-01T02:00:00Z\n",
    );
    let rows = wd.csv_rows(&["tickets", "plain.csv"]);
    assert_eq!(rows[0]["resolved"], "1");
    assert_empty(&rows[0], "replies_per_resolution");
}

/// `--schedule`: SPEC §8's example hours in Berlin (UTC+1 in January).
/// T1 Fri 14:00 → first reply Mon 10:00, resolved Mon 11:00 (local): business
/// 1 h (Fri 14–15) + 1 h = 2 h to reply, 1 h + 2 h = 3 h to resolve.
/// T2 Tue 12:00 → reply 14:00 over the 12:30–13:30 break: 1 h; unresolved.
/// T3 Wed 18:00 (closed) → reply and resolution Thu 09:30: 0.5 h each.
#[test]
fn business_hours_from_a_schedule() {
    let wd = Workdir::new();
    wd.write(
        "hours.toml",
        br#"[schedules.support]
tz = "Europe/Berlin"
mon = ["09:00-17:00"]
tue = ["09:00-12:30", "13:30-17:00"]
wed = ["09:00-17:00"]
thu = ["09:00-17:00"]
fri = ["09:00-15:00"]
holidays = ["2025-12-25", "2025-12-26", "2025-12-31..2026-01-01"]
"#,
    );
    wd.write(
        "t.csv",
        b"ticket_id,created_at,first_response_at,resolved_at,team\n\
T1,2025-01-10T13:00:00Z,2025-01-13T09:00:00Z,2025-01-13T10:00:00Z,a\n\
T2,2025-01-14T11:00:00Z,2025-01-14T13:00:00Z,,a\n\
T3,2025-01-15T17:00:00Z,2025-01-16T08:30:00Z,2025-01-16T08:30:00Z,b\n",
    );
    let args = ["tickets", "t.csv", "--by", "team", "--config", "hours.toml"];
    let rows = wd.csv_rows(&[&args[..], &["--schedule", "support"]].concat());
    let a = &rows[0];
    // a: replies of 2 h and 1 h (p90 = 1 + 0.9 × 1); one resolution of 3 h.
    assert_num(a, "first_response_business_mean_hours", 1.5);
    assert_num(a, "first_response_business_median_hours", 1.5);
    assert_num(a, "first_response_business_p90_hours", 1.9);
    assert_num(a, "resolution_business_mean_hours", 3.0);
    assert_num(a, "resolution_business_p90_hours", 3.0);
    // The calendar columns stay: T1 68 h and T2 2 h to reply.
    assert_num(a, "first_response_mean_hours", 35.0);
    let b = &rows[1];
    assert_num(b, "first_response_business_median_hours", 0.5);
    assert_num(b, "resolution_business_mean_hours", 0.5);
    // After the calendar durations, before fcr_pct.
    let out = wd.csv_output(&[&args[..], &["--schedule", "support"]].concat());
    let header = String::from_utf8_lossy(&out)
        .lines()
        .next()
        .unwrap_or("")
        .to_string();
    assert!(
        header.contains("resolution_p90_hours,first_response_business_mean_hours,")
            && header.contains("resolution_business_p90_hours,fcr_pct"),
        "{header}"
    );
    // `report` carries them: all three tickets, replies of 2, 1 and 0.5 business hours.
    let tidy = wd.csv_rows(&[
        "report",
        "--tickets",
        "t.csv",
        "--config",
        "hours.toml",
        "--schedule",
        "support",
    ]);
    let mean = tidy
        .iter()
        .find(|r| r["metric"] == "first_response_business_mean_hours")
        .expect("the business column in the report");
    assert_num(mean, "value", 3.5 / 3.0);
    // Without --schedule, no business columns; an unknown name is a usage error.
    assert!(!wd.csv_rows(&args)[0].contains_key("first_response_business_mean_hours"));
    let out = wd
        .cxm()
        .args(args)
        .args(["--schedule", "nights"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("schedules.nights"));
}

/// A close stands in for the resolution only where the status does not say the ticket
/// is still open (a close left from before it was reopened). A: closed after 2 h,
/// status Closed. B: closed after 4 h but Open: open, and warned of. C: closed after
/// 6 h, `Awaiting parts`, no status word: resolved by its close. D: resolved after
/// 1 h by its resolution time, whatever its status. Resolved A, C, D (2, 6, 1 h):
/// mean 3, median 2, p90 2 + 0.8 × (6 − 2) = 5.2. With `[statuses]` reading
/// `Awaiting parts` as hold, C is open too: A and D, mean 1.5 h. Under a 3 h
/// resolution target a week later, B (open past its deadline) is breached.
#[test]
fn a_close_beside_an_open_status_is_not_a_resolution() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket_id,created_at,resolved_at,closed_at,status\n\
A,2025-03-03T08:00:00Z,,2025-03-03T10:00:00Z,Closed\n\
B,2025-03-03T08:00:00Z,,2025-03-03T12:00:00Z,Open\n\
C,2025-03-03T08:00:00Z,,2025-03-03T14:00:00Z,Awaiting parts\n\
D,2025-03-03T08:00:00Z,2025-03-03T09:00:00Z,2025-03-03T16:00:00Z,pending\n",
    );
    let (stdout, err) = wd.csv_and_stderr(&["tickets", "t.csv"]);
    assert!(
        err.contains("1 row: status not resolved beside a close time (the close is not read as a resolution) for status (first at t.csv:3, column 'status', value 'Open')"),
        "{err}"
    );
    let rows = parse_csv(&stdout);
    assert_eq!(rows[0]["resolved"], "3");
    assert_eq!(rows[0]["open"], "1");
    assert_num(&rows[0], "resolution_mean_hours", 3.0);
    assert_num(&rows[0], "resolution_median_hours", 2.0);
    assert_num(&rows[0], "resolution_p90_hours", 5.2);
    // A warning, not a reject: --strict still succeeds.
    wd.cxm()
        .args(["tickets", "t.csv", "--strict"])
        .assert()
        .success();

    wd.write(
        "cx.toml",
        b"[statuses]\n\"Awaiting parts\" = \"hold\"\n\n[sla_policies.cal]\nresolution = { default = \"3h\" }\n",
    );
    let rows = wd.csv_rows(&["tickets", "t.csv", "--config", "cx.toml", "-q"]);
    assert_eq!(rows[0]["resolved"], "2");
    assert_num(&rows[0], "resolution_mean_hours", 1.5);
    let rows = wd.csv_rows(&[
        "tickets",
        "t.csv",
        "--config",
        "cx.toml",
        "--sla-policy",
        "cal",
        "--per-ticket",
        "--now",
        "2025-03-10T00:00:00Z",
        "-q",
    ]);
    let verdict = |id: &str| {
        let row = rows.iter().find(|r| r["ticket_id"] == id).unwrap();
        row["sla_resolution"].clone()
    };
    assert_eq!(verdict("A"), "achieved");
    assert_eq!(verdict("B"), "breached");
    assert_eq!(verdict("C"), "breached");
    assert_eq!(verdict("D"), "achieved");

    // Without `resolved_at` the close is the resolution time, and the same holds:
    // A closed after 2 h, B open.
    wd.write(
        "closes.csv",
        b"ticket_id,created_at,closed_at,status\n\
A,2025-03-03T08:00:00Z,2025-03-03T10:00:00Z,Closed\n\
B,2025-03-03T08:00:00Z,2025-03-03T12:00:00Z,Open\n",
    );
    let (stdout, err) = wd.csv_and_stderr(&["tickets", "closes.csv"]);
    assert!(
        err.contains("1 row: status not resolved beside a close time"),
        "{err}"
    );
    let rows = parse_csv(&stdout);
    assert_eq!([&rows[0]["resolved"], &rows[0]["open"]], ["1", "1"]);
    assert_num(&rows[0], "resolution_mean_hours", 2.0);

    // Only the kept row of a repeated id counts: A's open row is dropped for its
    // later closed one (resolved, 2 h); B's last row is open. One ticket warned of.
    wd.write(
        "repeats.csv",
        b"ticket_id,created_at,resolved_at,closed_at,status\n\
A,2025-03-03T08:00:00Z,,2025-03-03T10:00:00Z,Open\n\
A,2025-03-03T08:00:00Z,,2025-03-03T10:00:00Z,Closed\n\
B,2025-03-03T08:00:00Z,,2025-03-03T12:00:00Z,Closed\n\
B,2025-03-03T08:00:00Z,,2025-03-03T12:00:00Z,Open\n",
    );
    let (stdout, err) = wd.csv_and_stderr(&["tickets", "repeats.csv"]);
    assert!(
        err.contains("1 row: status not resolved beside a close time (the close is not read as a resolution) for status (first at repeats.csv:5"),
        "{err}"
    );
    let rows = parse_csv(&stdout);
    assert_eq!([&rows[0]["resolved"], &rows[0]["open"]], ["1", "1"]);

    // With an event log its statuses decide: A, open in the ticket file with a close
    // (warned of: the close is not read), is solved at 11:00 by the log (3 h).
    wd.write(
        "one.csv",
        b"ticket_id,created_at,resolved_at,closed_at,status\n\
A,2025-03-03T08:00:00Z,,2025-03-03T10:00:00Z,Open\n",
    );
    wd.write(
        "log.csv",
        b"ticket_id,at,author_role,public,status\n\
A,2025-03-03T08:00:00Z,customer,true,new\n\
A,2025-03-03T11:00:00Z,agent,true,solved\n",
    );
    let (stdout, err) = wd.csv_and_stderr(&["tickets", "one.csv", "--events", "log.csv"]);
    assert!(
        err.contains("1 row: status not resolved beside a close time"),
        "{err}"
    );
    let rows = parse_csv(&stdout);
    assert_eq!(rows[0]["resolved"], "1");
    assert_num(&rows[0], "resolution_mean_hours", 3.0);
}

/// A ticket closed without a resolution time was resolved when it was closed: R keeps
/// its `resolved_at` (2 h; its later close does not count), C is resolved by its
/// close (4 h), O is open. B's close is no timestamp and E's is before its creation:
/// rejected values of `closed_at`, named as such, and neither ticket resolved. Mean
/// resolution (2 + 4) ÷ 2 = 3 h.
#[test]
fn a_close_without_a_resolution_time_is_the_resolution() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket_id,created_at,resolved_at,closed_at\n\
R,2025-03-03T08:00:00Z,2025-03-03T10:00:00Z,2025-03-05T10:00:00Z\n\
C,2025-03-03T08:00:00Z,,2025-03-03T12:00:00Z\n\
O,2025-03-03T08:00:00Z,,\n\
B,2025-03-03T08:00:00Z,,soon\n\
E,2025-03-03T08:00:00Z,,2025-03-03T07:00:00Z\n",
    );
    let out = wd
        .cxm()
        .args(["tickets", "t.csv", "--format", "csv"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("unparseable timestamp in closed_at (first at t.csv:5, column 'closed_at', value 'soon')"),
        "{err}"
    );
    assert!(
        err.contains("negative duration in closed_at (first at t.csv:6"),
        "{err}"
    );
    let rows = parse_csv(&out.stdout);
    assert_eq!(rows[0]["tickets"], "5");
    assert_eq!(rows[0]["resolved"], "2");
    assert_num(&rows[0], "resolution_mean_hours", 3.0);
    // A close stands in for an empty resolution time, not for a rejected one: H's
    // resolution (2 h) stands and its unreadable close is not read (no reject); G's
    // unreadable resolution is rejected, and G is not resolved by its close. Under a
    // 4 h resolution target, H is achieved and G has no verdict.
    wd.write(
        "both.csv",
        b"ticket_id,created_at,resolved_at,closed_at\n\
H,2025-03-03T10:00:00Z,2025-03-03T12:00:00Z,garbage\n\
G,2025-03-03T10:00:00Z,garbage,2025-03-03T13:00:00Z\n",
    );
    wd.write(
        "cal.toml",
        b"[sla_policies.cal]\nresolution = { default = \"4h\" }\n",
    );
    let out = wd
        .cxm()
        .args(["tickets", "both.csv", "--per-ticket", "--format", "csv"])
        .args(["--config", "cal.toml", "--sla-policy", "cal"])
        .args(["--now", "2025-03-10T00:00:00Z"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("unparseable timestamp in resolved_at (first at both.csv:3"),
        "{err}"
    );
    assert!(!err.contains("closed_at"), "{err}");
    let rows = parse_csv(&out.stdout);
    assert_num(&rows[0], "resolution_hours", 2.0);
    assert_eq!(rows[0]["sla_resolution"], "achieved");
    assert_empty(&rows[1], "resolution_hours");
    assert_empty(&rows[1], "sla_resolution");
    // Only a close: the resolution is the close (C 4 h, R 26 h).
    wd.write(
        "only.csv",
        b"ticket_id,created_at,Closed Date\n\
R,2025-03-03T08:00:00Z,2025-03-04T10:00:00Z\n\
C,2025-03-03T08:00:00Z,2025-03-03T12:00:00Z\n",
    );
    let rows = wd.csv_rows(&["tickets", "only.csv"]);
    assert_eq!(rows[0]["resolved"], "2");
    assert_num(&rows[0], "resolution_mean_hours", 15.0);
}

/// `--by AGENT_REPLIES` names, in another case, the column the `agent_replies`
/// field reads: grouped by it (two tickets of 1 reply, one of 2), not read twice.
#[test]
fn by_a_fields_column_in_another_case() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket_id,created_at,agent_replies\n\
          1,2025-03-01T10:00:00Z,1\n2,2025-03-01T11:00:00Z,1\n3,2025-03-01T12:00:00Z,2\n",
    );
    let rows = wd.csv_rows(&["tickets", "t.csv", "--by", "AGENT_REPLIES", "-q"]);
    let counts: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r["agent_replies"].as_str(), r["tickets"].as_str()))
        .collect();
    assert_eq!(counts, [("1", "2"), ("2", "1")]);
}

/// `--by TEAM` where no column is named so in any case (the file's `Group` is read
/// as the field team): the field, as `--by team` gives it.
#[test]
fn by_a_field_in_upper_case() {
    let wd = Workdir::new();
    wd.write(
        "g.csv",
        b"Ticket ID,Created at,Group\n1,2025-03-01T10:00:00Z,g1\n2,2025-03-01T11:00:00Z,g1\n",
    );
    let rows = wd.csv_rows(&["tickets", "g.csv", "--by", "TEAM", "-q"]);
    assert_eq!(
        (rows[0]["team"].as_str(), rows[0]["tickets"].as_str()),
        ("g1", "2")
    );
    // And `--where TEAM=…` filters by the field: g1 keeps both, g2 none.
    let kept = |condition: &str| {
        let rows = wd.csv_rows(&["tickets", "g.csv", "--where", condition, "-q"]);
        rows[0]["tickets"].clone()
    };
    assert_eq!(
        (kept("TEAM=g1").as_str(), kept("TEAM=g2").as_str()),
        ("2", "0")
    );
}

/// Durations written with a decimal comma read as numbers of their unit, and
/// `inspect` does not call them unreadable: first responses 0.5, 2 and 0.25 h,
/// mean 2.75 ÷ 3; ticket 4's `-0,5` is rejected, shown as the file writes it.
#[test]
fn durations_with_a_decimal_comma() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket_id;created_at;first_response_hours\n\
1;2025-03-03T10:00:00Z;0,5\n\
2;2025-03-03T11:00:00Z;2\n\
3;2025-03-03T12:00:00Z;0,25\n\
4;2025-03-03T13:00:00Z;-0,5\n",
    );
    let out = wd
        .cxm()
        .args(["tickets", "t.csv", "--format", "csv", "--rejects", "r.csv"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("1 rejected: negative duration in first_response_hours (first at t.csv:5, column 'first_response_hours', value '-0,5')"),
        "{err}"
    );
    let rejects = parse_csv(&std::fs::read(wd.path("r.csv")).unwrap());
    assert_eq!(rejects[0]["value"], "-0,5");
    let rows = parse_csv(&out.stdout);
    assert_num(&rows[0], "first_response_mean_hours", 2.75 / 3.0);
    let out = wd.cxm().args(["inspect", "t.csv"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("number (decimal comma)"), "{text}");
    assert!(!text.contains("not a duration"), "{text}");
}

/// Blank lines before the header are lines too: the unreadable `created_at` of the
/// second ticket is on line 5 (two blank lines, the header, the first ticket), in the
/// warning, in `--rejects` and in `inspect`.
#[test]
fn blank_lines_before_the_header_count_in_locations() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"\n\nticket_id,created_at,team\n1,2025-01-02 10:00,a\n2,notadate,b\n",
    );
    let (_, err) = wd.csv_and_stderr(&["tickets", "t.csv", "--rejects", "r.csv"]);
    assert!(
        err.contains("(first at t.csv:5, column 'created_at'"),
        "{err}"
    );
    let rejects = parse_csv(&std::fs::read(wd.path("r.csv")).unwrap());
    assert_eq!(rejects[0]["line"], "5");
    let out = wd.cxm().args(["inspect", "t.csv"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("(first at line 5: 'notadate')"), "{text}");
}

/// An SLA verdict in words, as Freshdesk's `First response status` writes it: 2
/// `Within SLA`, 1 `SLA Violated`, 1 blank (no verdict) give 2 of 3 met, 66.67 %,
/// with nothing rejected.
#[test]
fn an_sla_verdict_in_words_is_read() {
    let wd = Workdir::new();
    wd.write(
        "fd.csv",
        b"ticket_id,created_at,First response status\n\
          1,2025-03-03T09:00:00Z,Within SLA\n\
          2,2025-03-03T10:00:00Z,SLA Violated\n\
          3,2025-03-03T11:00:00Z,within sla\n\
          4,2025-03-03T12:00:00Z,\n",
    );
    let out = wd
        .cxm()
        .args([
            "tickets",
            "fd.csv",
            "--map",
            "sla_met=First response status",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("rejected"), "{err}");
    let rows = parse_csv(&out.stdout);
    assert_num(&rows[0], "sla_pct", 200.0 / 3.0);
}

/// Durations given in seconds (`first_response_seconds`, as `--per-ticket
/// --time-unit seconds` writes them, or `First response time in seconds`): T1
/// answered after 1,800 s (0.5 h) and resolved after 7,200 s (2 h), T2 answered after
/// 5,400 s (1.5 h) and open: mean first response 1 h, resolution 2 h.
#[test]
fn durations_in_seconds_read() {
    let wd = Workdir::new();
    for header in [
        "ticket_id,created_at,first_response_seconds,resolution_seconds",
        "ticket_id,created_at,First response time in seconds,Resolution time in seconds",
    ] {
        wd.write(
            "s.csv",
            format!("{header}\nT1,2025-03-03T09:00:00Z,1800,7200\nT2,2025-03-03T10:00:00Z,5400,\n")
                .as_bytes(),
        );
        let rows = csv_rows(&["tickets", wd.path("s.csv").to_str().unwrap(), "-q"]);
        let r = &rows[0];
        assert_eq!(
            (r["responded"].as_str(), r["resolved"].as_str()),
            ("2", "1"),
            "{header}"
        );
        assert_num(r, "first_response_mean_hours", 1.0);
        assert_num(r, "resolution_mean_hours", 2.0);
    }
    // A seconds column mapped by hand wins over a minutes one found by its name
    // (60 and 120 s: mean 1.5 min, not the 15 of the minutes column), and a clock in
    // it is a duration to `inspect` as to `tickets`.
    wd.write(
        "m.csv",
        b"ticket_id,created_at,first_response_minutes,frs\nT1,2025-03-03T09:00:00Z,10,60\nT2,2025-03-03T10:00:00Z,20,0:02:00\n",
    );
    let rows = csv_rows(&[
        "tickets",
        wd.path("m.csv").to_str().unwrap(),
        "--map",
        "first_response_seconds=frs",
        "--time-unit",
        "minutes",
        "-q",
    ]);
    assert_num(&rows[0], "first_response_mean_minutes", 1.5);
    let out = wd
        .cxm()
        .args(["inspect", "m.csv", "--map", "first_response_seconds=frs"])
        .output()
        .unwrap();
    let said = [out.stdout, out.stderr].concat();
    let said = String::from_utf8_lossy(&said);
    assert!(out.status.success(), "{said}");
    assert!(said.contains("first_response_seconds"), "{said}");
    assert!(!said.contains("not a"), "{said}");
}

/// A window holding no ticket is warned of; "a stale export?" only when the tickets
/// end before it starts, not when they run on both sides of it (a gap: February).
#[test]
fn an_empty_window_is_a_stale_export_only_after_the_data() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket_id,created_at\nA,2025-01-10T10:00:00Z\nB,2025-03-10T10:00:00Z\n",
    );
    let warned = |period: &str| {
        let out = wd
            .cxm()
            .args(["tickets", "t.csv", "--period", period, "--format", "csv"])
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let gap = warned("2025-02");
    assert!(gap.contains("holds none of the tickets: tickets run from 2025-01-10 10:00 to 2025-03-10 10:00 (t.csv)\n"), "{gap}");
    let after = warned("2025-04");
    assert!(after.contains("(t.csv); a stale export?"), "{after}");
    // The same for an event log read alone, and for subscriptions (A ends January 15,
    // B starts in March).
    wd.write(
        "ev.csv",
        b"ticket_id,at,author_role,status\nT1,2025-01-06T09:00:00Z,end-user,new\nT2,2025-03-06T09:00:00Z,end-user,new\n",
    );
    wd.write(
        "subs.csv",
        b"customer_id,start_date,end_date\nA,2025-01-01,2025-01-15\nB,2025-03-01,\n",
    );
    for (args, file) in [
        (&["tickets", "--events", "ev.csv"][..], "ev.csv"),
        (&["churn", "subs.csv"][..], "subs.csv"),
    ] {
        for (period, stale) in [("2025-02", false), ("2024-12", false), ("2025-06", true)] {
            let out = wd
                .cxm()
                .args(args)
                .args(["--period", period, "--format", "csv"])
                .output()
                .unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            if file == "subs.csv" && period == "2025-06" {
                // B runs on through June: the window holds it.
                assert!(!err.contains("holds none"), "{err}");
                continue;
            }
            assert!(
                err.contains("holds none of the"),
                "{args:?} {period}: {err}"
            );
            assert_eq!(
                err.contains("a stale export?"),
                stale,
                "{args:?} {period}: {err}"
            );
        }
    }
}

/// A bare `--sla` number is hours whatever `--time-unit`: beside minutes or seconds,
/// said; with its unit, or in hours, not.
#[test]
fn a_bare_sla_beside_another_unit_is_said_to_be_hours() {
    let wd = Workdir::new();
    let tickets = fixture("tickets/basic.csv");
    let run = |args: &[&str]| {
        let out = wd
            .cxm()
            .args(["tickets", &tickets, "--format", "csv"])
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let said = "the SLA target 30 has no unit, so it is 30 hours";
    assert!(run(&["--sla", "30", "--time-unit", "minutes"]).contains(said));
    assert!(!run(&["--sla", "30m", "--time-unit", "minutes"]).contains("has no unit"));
    assert!(!run(&["--sla", "30"]).contains("has no unit"));
    let out = wd
        .cxm()
        .args([
            "report",
            concat!(env!("CARGO_MANIFEST_DIR"), "/sample-data"),
            "--format",
            "csv",
        ])
        .args(["--sla", "2", "--time-unit", "seconds"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("the SLA target 2 has no unit, so it is 2 hours"),
        "{err}"
    );
}

/// `--rejects` over several files judges the rows the main pass judged, numbered
/// across the files: the kept row of an id repeated in a later file (B1's second row,
/// `x`), the kept row of an id repeated across files (T1 in b.csv, answered before it
/// was created), and, under `--keep first`, not a dropped copy (T2's `y` in xd.csv,
/// whose first row, in xa.csv, `--where` leaves out) but T18's `z`.
#[test]
fn rejects_of_several_files_follow_the_repeated_ids_across_them() {
    let wd = Workdir::new();
    wd.write(
        "ya.csv",
        b"ticket_id,created_at,agent_replies\nA1,2025-03-01T10:00:00Z,1\n",
    );
    wd.write(
        "yb.csv",
        b"ticket_id,created_at,agent_replies\nB1,2025-03-01T10:00:00Z,1\nB1,2025-03-01T11:00:00Z,x\n",
    );
    wd.write(
        "a.csv",
        b"ticket_id,created_at,first_response_at\nT1,2025-03-01T10:00:00Z,2025-03-01T11:00:00Z\nT2,2025-03-01T10:00:00Z,2025-03-01T11:00:00Z\n",
    );
    wd.write(
        "b.csv",
        b"ticket_id,created_at,first_response_at\nT1,2025-03-01T10:00:00Z,2025-03-01T09:00:00Z\nT3,2025-03-01T10:00:00Z,2025-03-01T11:00:00Z\n",
    );
    wd.write(
        "xa.csv",
        b"ticket_id,created_at,team,reopens\nT2,2025-03-01T10:00:00Z,b,1\n",
    );
    wd.write(
        "xd.csv",
        b"ticket_id,created_at,team,reopens\nT2,2025-03-01T10:00:00Z,,y\nT17,2025-03-01T10:00:00Z,,0\nT18,2025-03-01T10:00:00Z,,z\n",
    );
    let rejected = |args: &[&str]| -> Vec<(String, String, String)> {
        let all = [args, &["--rejects", "r.csv", "-q", "-o", "out.csv"]].concat();
        let out = wd.cxm().args(&all).output().unwrap();
        assert!(out.status.success(), "{out:?}");
        let rows = parse_csv(&std::fs::read(wd.path("r.csv")).unwrap());
        (rows.iter())
            .map(|r| (r["file"].clone(), r["line"].clone(), r["value"].clone()))
            .collect()
    };
    let one = |file: &str, line: &str, value: &str| vec![(file.into(), line.into(), value.into())];
    assert_eq!(
        rejected(&["tickets", "ya.csv", "yb.csv"]),
        one("yb.csv", "3", "x")
    );
    assert_eq!(
        rejected(&["tickets", "a.csv", "b.csv"]),
        one("b.csv", "2", "2025-03-01T09:00:00Z")
    );
    assert_eq!(
        rejected(&["tickets", "xa.csv", "xd.csv", "--where", "team=", "--keep", "first"]),
        one("xd.csv", "4", "z")
    );
}

/// `--per-ticket` writes each id as the tickets are told apart, trimmed (` T2 ` is
/// `T2`, as dedupe and the joins read it), so that the view joins on it.
#[test]
fn per_ticket_ids_are_trimmed() {
    let wd = Workdir::new();
    wd.write(
        "p.csv",
        b"ticket_id,created_at,first_response_at\nT1,2025-03-01T10:00:00Z,2025-03-01T11:00:00Z\n T2 ,2025-03-01T10:00:00Z,2025-03-01T12:00:00Z\n",
    );
    let (out, err) = wd.csv_and_stderr(&["tickets", "p.csv", "--per-ticket"]);
    let rows = parse_csv(&out);
    let ids: Vec<(&str, &str)> = (rows.iter())
        .map(|r| (r["ticket_id"].as_str(), r["first_response_hours"].as_str()))
        .collect();
    assert_eq!(ids, [("T1", "1"), ("T2", "2")], "{err}");
}

/// Per-ticket rows written in seconds hold every millisecond: read back, they give the
/// figures of the export. T1 answered and resolved 1 h 0.1 s after creation (past a
/// 1 h target: SLA 0 %), T2 resolved after 1 s, T3 after 1,000 s: resolution mean
/// (3600.1 + 1 + 1000) ÷ 3 = 1533.7 s = 0.426028 h, median 1000 s = 0.277778 h. In
/// hours the row of T1 would read `1` (4 decimals), met.
#[test]
fn per_ticket_rows_in_seconds_read_back_to_the_same_figures() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket_id,created_at,first_response_at,resolved_at
\
          T1,2025-03-03T10:00:00Z,2025-03-03T11:00:00.100Z,2025-03-03T11:00:00.100Z
\
          T2,2025-03-03T10:00:00Z,,2025-03-03T10:00:01Z
\
          T3,2025-03-03T10:00:00Z,,2025-03-03T10:16:40Z
",
    );
    let rows = ["--per-ticket", "--time-unit", "seconds", "-o", "rows.csv"];
    let out = (wd.cxm())
        .args([&["tickets", "t.csv"][..], &rows].concat())
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    for file in ["t.csv", "rows.csv"] {
        let totals = wd.csv_rows(&["tickets", file, "--sla", "1h", "-q"]);
        assert_num(&totals[0], "sla_pct", 0.0);
        assert_num(&totals[0], "resolution_mean_hours", 1533.7 / 3600.0);
        assert_num(&totals[0], "resolution_median_hours", 1000.0 / 3600.0);
        assert_num(&totals[0], "first_response_mean_hours", 3600.1 / 3600.0);
    }
}

/// `--per-ticket` carries what the rates read, where the file has it: P1 one reply,
/// no reopen (first contact), P2 three replies and two reopens (not), P3 and P4
/// unresolved (no first contact to tell, whatever the counts, as `fcr_pct` counts
/// resolved tickets alone), written as the `fcr` field; the export's own verdict
/// `sla_met`. The rows give the group's figures back: fcr 1 of 2 resolved with a
/// known first contact, reopen 1 of 2, SLA met 0 of 2; read back as tickets, the
/// same; `--fail-if` tests each row's `fcr` as 1 or 0 (P2 breaches `fcr==0`, named by
/// its id and time alone).
#[test]
fn per_ticket_rows_carry_replies_reopens_fcr_and_the_exports_verdict() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket_id,created_at,first_response_at,resolved_at,agent_replies,reopens,sla_met\n\
          P1,2025-03-03T10:00:00Z,2025-03-03T10:30:00Z,2025-03-03T12:00:00Z,1,0,no\n\
          P2,2025-03-03T11:00:00Z,2025-03-03T11:30:00Z,2025-03-03T13:00:00Z,3,2,no\n\
          P3,2025-03-03T11:00:00Z,2025-03-03T11:30:00Z,,,,\n\
          P4,2025-03-03T11:00:00Z,2025-03-03T11:30:00Z,,1,0,\n",
    );
    let rows = wd.csv_rows(&["tickets", "t.csv", "--per-ticket", "-q"]);
    let got: Vec<[&str; 5]> = rows
        .iter()
        .map(|r| {
            [
                r["ticket_id"].as_str(),
                r["agent_replies"].as_str(),
                r["reopens"].as_str(),
                r["fcr"].as_str(),
                r["sla_met"].as_str(),
            ]
        })
        .collect();
    assert_eq!(
        got,
        [
            ["P1", "1", "0", "true", "false"],
            ["P2", "3", "2", "false", "false"],
            ["P3", "", "", "", ""],
            ["P4", "1", "0", "", ""]
        ]
    );
    for file in ["t.csv", "rows.csv"] {
        if file == "rows.csv" {
            let out = (wd.cxm())
                .args(["tickets", "t.csv", "--per-ticket", "-q", "-o", "rows.csv"])
                .output()
                .unwrap();
            assert!(out.status.success());
        }
        let totals = wd.csv_rows(&["tickets", file, "-q"]);
        assert_num(&totals[0], "fcr_pct", 50.0);
        assert_num(&totals[0], "reopen_pct", 50.0);
        assert_num(&totals[0], "sla_pct", 0.0);
    }
    let out = (wd.cxm())
        .args([
            "tickets",
            "t.csv",
            "--per-ticket",
            "--format",
            "csv",
            "--fail-if",
            "fcr==0",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("ticket_id=P2 created_at=\"2025-03-03T11:00:00Z\": fcr = false"),
        "{err}"
    );
    // Without the counts, no such columns.
    wd.write(
        "bare.csv",
        b"ticket_id,created_at\nB1,2025-03-03T10:00:00Z\n",
    );
    let rows = wd.csv_rows(&["tickets", "bare.csv", "--per-ticket", "-q"]);
    assert!(!rows[0].contains_key("fcr"), "{rows:?}");
    assert!(!rows[0].contains_key("agent_replies"), "{rows:?}");
}

/// A `--by` naming one of the per-ticket rows' own columns (`--by sla_met`, `--by
/// reopens`) keeps it as the group column, written once (it stopped the run with
/// polars' "duplicate output name"), with and without an event log; the counts are
/// whole numbers in tables for people (`1`, not `1.00`).
#[test]
fn per_ticket_rows_grouped_by_their_own_columns() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket_id,created_at,resolved_at,agent_replies,reopens,sla_met\n\
          T1,2025-03-01T10:00:00Z,2025-03-01T11:00:00Z,1,0,yes\n",
    );
    wd.write(
        "log.csv",
        b"ticket_id,at,author_role,public,status\n\
          T1,2025-03-01T10:00:00Z,customer,true,new\nT1,2025-03-01T10:30:00Z,agent,true,solved\n",
    );
    for by in ["sla_met", "reopens", "agent_replies"] {
        for log in [None, Some("log.csv")] {
            let mut args = vec!["tickets", "t.csv", "--per-ticket", "--by", by, "-q"];
            if let Some(l) = log {
                args.extend(["--events", l]);
            }
            let out = wd.csv_output(&args);
            let header = String::from_utf8_lossy(&out)
                .lines()
                .next()
                .unwrap_or_default()
                .to_string();
            assert_eq!(
                header.split(',').filter(|c| *c == by).count(),
                1,
                "{args:?}: {header}"
            );
            assert_eq!(parse_csv(&out).len(), 1, "{args:?}");
        }
    }
    let out = wd
        .cxm()
        .args([
            "tickets",
            "t.csv",
            "--per-ticket",
            "--format",
            "markdown",
            "-q",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("| 1 | 0 | yes | yes |"), "{text}");
}

/// Each file's own spelling of the name typed: w2.csv has both `Region` and an exact
/// `REGION`, so `--by REGION` and `--where REGION=EMEA` read its `REGION` (EMEA 1, AMER
/// 1, and w1.csv's `Region` eu 1), not the first file's spelling `Region`; and
/// `--by region` over a.csv (`Region`) and b.csv (`region`, `REGION`) reads b.csv's
/// exact `region` (eu 1 + 1, us 1 + 2).
#[test]
fn each_file_reads_its_own_spelling_of_the_name_typed() {
    let wd = Workdir::new();
    wd.write(
        "w1.csv",
        b"ticket_id,created_at,Region\n1,2025-01-01T00:00:00Z,eu\n",
    );
    wd.write(
        "w2.csv",
        b"ticket_id,created_at,Region,REGION\n2,2025-01-02T00:00:00Z,old-eu,EMEA\n3,2025-01-02T00:00:00Z,old-us,AMER\n",
    );
    wd.write(
        "a.csv",
        b"ticket_id,created_at,Region\n1,2025-01-01T00:00:00Z,eu\n2,2025-01-01T00:00:00Z,us\n",
    );
    wd.write(
        "b.csv",
        b"ticket_id,created_at,region,REGION\n3,2025-01-02T00:00:00Z,eu,x\n4,2025-01-02T00:00:00Z,us,y\n5,2025-01-02T00:00:00Z,us,y\n",
    );
    let groups = |args: &[&str]| -> Vec<(String, String)> {
        (wd.csv_rows(args).iter())
            .map(|r| (r["Region"].clone(), r["tickets"].clone()))
            .collect()
    };
    let pairs = |v: &[(&str, &str)]| -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    };
    assert_eq!(
        groups(&["tickets", "w1.csv", "w2.csv", "--by", "REGION"]),
        pairs(&[("AMER", "1"), ("EMEA", "1"), ("eu", "1")])
    );
    assert_eq!(
        groups(&["tickets", "a.csv", "b.csv", "--by", "region"]),
        pairs(&[("eu", "2"), ("us", "3")])
    );
    let kept = |args: &[&str]| wd.csv_rows(args)[0]["tickets"].clone();
    assert_eq!(
        kept(&["tickets", "w1.csv", "w2.csv", "--where", "REGION=EMEA"]),
        "1"
    );
    assert_eq!(
        kept(&["tickets", "a.csv", "b.csv", "--where", "region=eu"]),
        "2"
    );
    // `--by ,` is two empty names, not `--by ''`'s no grouping.
    let out = wd
        .cxm()
        .args(["tickets", "a.csv", "--by", ","])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    // A blank `--by` adds no column, given twice too (a script's empty variables):
    // a.csv's and b.csv's 5 tickets in one row, or by region beside `--by region`.
    let rows = wd.csv_rows(&["tickets", "a.csv", "b.csv", "--by", "", "--by", ""]);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["tickets"], "5");
    assert!(!rows[0].contains_key("Region"));
    assert_eq!(
        groups(&["tickets", "a.csv", "b.csv", "--by", "", "--by", "region"]),
        pairs(&[("eu", "2"), ("us", "3")])
    );
}

/// An SLA policy's `where` on a raw column reads each file's own spelling of the
/// name typed (B1, in b.csv's `REGION`, answered in 0.5 h: achieved), whatever the
/// order of the files; `--by REGION` beside it groups by `REGION` (UP, n). A
/// `region` in the policy beside `--by REGION`, two columns in b.csv read under one
/// name, stops (it grouped by b.csv's `region` without a word).
#[test]
fn a_policys_raw_column_is_each_files_own_spelling() {
    let wd = Workdir::new();
    wd.write(
        "a.csv",
        b"ticket_id,created_at,first_response_at,region\nA1,2025-01-01T00:00:00Z,2025-01-01T00:30:00Z,n\n",
    );
    wd.write(
        "b.csv",
        b"ticket_id,created_at,first_response_at,region,REGION\nB1,2025-01-02T00:00:00Z,2025-01-02T00:30:00Z,lo,UP\n",
    );
    wd.write(
        "up.toml",
        b"[sla_policies.up]\nfirst_response = { default = \"1h\" }\nwhere = { REGION = [\"UP\"] }\n",
    );
    wd.write(
        "lo.toml",
        b"[sla_policies.lo]\nfirst_response = { default = \"1h\" }\nwhere = { region = [\"lo\"] }\n",
    );
    let now = ["--now", "2026-01-01T00:00:00Z"];
    for files in [["a.csv", "b.csv"], ["b.csv", "a.csv"]] {
        let mut args = vec!["tickets", files[0], files[1], "--config", "up.toml"];
        args.extend(["--sla-policy", "up"]);
        args.extend(now);
        let rows = wd.csv_rows(&args);
        assert_eq!(rows[0]["sla_first_response_achieved"], "1", "{files:?}");
        assert_eq!(rows[0]["sla_first_response_pct"], "100", "{files:?}");
        args.extend(["--by", "REGION"]);
        let rows = wd.csv_rows(&args);
        // Named as the first file spells it: `region` in a.csv, `REGION` in b.csv.
        let named = if files[0] == "a.csv" {
            "region"
        } else {
            "REGION"
        };
        let mut groups: Vec<&str> = rows.iter().map(|r| r[named].as_str()).collect();
        groups.sort();
        assert_eq!(groups, ["UP", "n"], "{files:?}");
    }
    // `--by region,REGION`: a.csv reads both from `region`, b.csv from its own two;
    // the second is named as typed, in either order of the files.
    for files in [["a.csv", "b.csv"], ["b.csv", "a.csv"]] {
        let rows = wd.csv_rows(&["tickets", files[0], files[1], "--by", "region,REGION"]);
        let mut groups: Vec<(&str, &str)> = (rows.iter())
            .map(|r| (r["region"].as_str(), r["REGION"].as_str()))
            .collect();
        groups.sort();
        assert_eq!(groups, [("lo", "UP"), ("n", "n")], "{files:?}");
    }
    // `--where region=lo` is bound file by file: beside `--by REGION`, in either
    // order, B1 (lo, UP) alone (it stopped when a.csv came first).
    for files in [["a.csv", "b.csv"], ["b.csv", "a.csv"]] {
        let mut args = vec!["tickets", files[0], files[1], "--where", "region=lo"];
        args.extend(["--by", "REGION"]);
        let rows = wd.csv_rows(&args);
        let named = if files[0] == "a.csv" {
            "region"
        } else {
            "REGION"
        };
        let groups: Vec<(&str, &str)> = (rows.iter())
            .map(|r| (r[named].as_str(), r["tickets"].as_str()))
            .collect();
        assert_eq!(groups, [("UP", "1")], "{files:?}");
    }
    let out = wd
        .cxm()
        .args([
            "tickets",
            "a.csv",
            "b.csv",
            "--config",
            "lo.toml",
            "--sla-policy",
            "lo",
        ])
        .args(["--by", "REGION"])
        .args(now)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(
        err.contains("b.csv: 'REGION' and 'region' are two columns here"),
        "{err}"
    );
}

/// A status that says resolved beside no resolution time, and a deleted ticket (as
/// Zendesk's API and Fivetran keep them), are counted as the cells say and warned of,
/// each with its first line: 4 tickets, 1 resolved (2 h), 3 open. Neither was said.
#[test]
fn a_resolved_status_without_its_time_and_a_deleted_ticket_are_said() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket_id,created_at,resolved_at,status\n\
          1,2025-03-03 10:00,2025-03-03 12:00,solved\n\
          2,2025-03-03 10:00,,Closed\n\
          3,2025-03-03 10:00,,deleted\n\
          4,2025-03-03 10:00,,open\n",
    );
    let (out, err) = wd.csv_and_stderr(&["tickets", "t.csv"]);
    let rows = parse_csv(&out);
    assert_eq!(rows[0]["tickets"], "4");
    assert_eq!(rows[0]["resolved"], "1");
    assert_eq!(rows[0]["open"], "3");
    assert!(
        err.contains("1 row: status resolved without a resolution time (the ticket is counted open) for status (first at t.csv:3, column 'status', value 'Closed')"),
        "{err}"
    );
    assert!(
        err.contains("1 row: a deleted ticket's status (counted as a ticket; --where 'status!=deleted' leaves such rows out) for status (first at t.csv:4"),
        "{err}"
    );
    // As the warning says: 3 tickets, 2 open.
    let (out, err) = wd.csv_and_stderr(&["tickets", "t.csv", "--where", "status!=deleted"]);
    assert_eq!(parse_csv(&out)[0]["open"], "2");
    assert!(!err.contains("deleted ticket"), "{err}");
    // An event log may resolve them: ticket 2 solved after 2 h, not said to be open.
    wd.write(
        "log.csv",
        b"ticket_id,at,author_role,public,status\n\
          2,2025-03-03 10:00,customer,true,new\n\
          2,2025-03-03 12:00,agent,true,solved\n",
    );
    let (out, err) = wd.csv_and_stderr(&["tickets", "t.csv", "--events", "log.csv"]);
    assert_eq!(parse_csv(&out)[0]["resolved"], "2");
    assert!(!err.contains("status resolved without"), "{err}");
}

/// A resolution time blank throughout the first 2,000 rows but filled past them is
/// the file's, whatever the order of its rows: the durations beside empty times are
/// not read, and said. By hand: X1 resolved in 10 h, the only resolution read; the
/// 2,000 durations of 1 h are not read. (A file of this order used to read the
/// durations, and the reversed file the time: its figures hung on its rows' order.)
#[test]
fn a_time_past_the_sample_is_read_as_in_any_order() {
    let wd = Workdir::new();
    let header = "ticket_id,created_at,resolved_at,resolution_minutes,status\n";
    let durations: String = (0..2000)
        .map(|i| format!("T{i},2025-03-03 08:00,,60,solved\n"))
        .collect();
    let time = "X1,2025-03-03 08:00,2025-03-03 18:00,,solved\n";
    wd.write("late.csv", format!("{header}{durations}{time}").as_bytes());
    wd.write("early.csv", format!("{header}{time}{durations}").as_bytes());
    for file in ["late.csv", "early.csv"] {
        let (out, err) = wd.csv_and_stderr(&["tickets", file]);
        let rows = parse_csv(&out);
        assert_eq!(rows[0]["resolved"], "1", "{file}: {err}");
        assert_num(&rows[0], "resolution_mean_hours", 10.0);
        assert!(
            err.contains("2000 rows: a duration beside an empty time (not read: the file's times are) for resolution_minutes"),
            "{err}"
        );
    }
}

/// A time column blank in the first 2,000 rows is read in the format of its values
/// past them (it was taken to be written as the file's other dates, ISO here, and its
/// day-first values rejected): by hand, 13 March 18:00 from 3 March 08:00 is 250 h,
/// for the ten tickets resolved so.
#[test]
fn a_time_past_the_sample_is_read_in_its_own_format() {
    let wd = Workdir::new();
    let mut t = String::from("ticket_id,created_at,resolved_at,resolution_minutes\n");
    for i in 0..2500 {
        t.push_str(&format!("T{i},2025-03-03 08:00,,60\n"));
    }
    for i in 0..10 {
        t.push_str(&format!("X{i},2025-03-03 08:00,13/03/2025 18:00,\n"));
    }
    wd.write("t.csv", t.as_bytes());
    let (out, err) = wd.csv_and_stderr(&["tickets", "t.csv"]);
    let rows = parse_csv(&out);
    assert_eq!(rows[0]["resolved"], "10", "{err}");
    assert_num(&rows[0], "resolution_mean_hours", 250.0);
    assert!(!err.contains("unparseable"), "{err}");
    // `inspect` says where the format came from (it said "assumed").
    let out = wd.cxm().args(["inspect", "t.csv"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("%d/%m/%Y %H:%M (local in --tz), told by its values past the rows sampled"),
        "{text}"
    );
}

/// A creation column blank in the first 2,000 rows, filled in ten past them, beside
/// another filled in every row: the one the sample fills is read, as a field every
/// ticket needs (reading the other rejected 2,500 of 2,510 tickets). By hand: 2,510
/// tickets, each resolved in 2 h.
#[test]
fn a_required_field_is_read_from_the_column_the_sample_fills() {
    let wd = Workdir::new();
    let mut t = String::from("ticket_id,created_at,Created,resolved_at\n");
    for i in 0..2500 {
        t.push_str(&format!(
            "T{i},,2025-03-01T10:00:00Z,2025-03-01T12:00:00Z\n"
        ));
    }
    for i in 0..10 {
        t.push_str(&format!(
            "U{i},2025-03-01T10:00:00Z,2025-03-01T10:00:00Z,2025-03-01T12:00:00Z\n"
        ));
    }
    wd.write("t.csv", t.as_bytes());
    let (out, err) = wd.csv_and_stderr(&["tickets", "t.csv"]);
    let rows = parse_csv(&out);
    assert_eq!(rows[0]["tickets"], "2510", "{err}");
    assert_num(&rows[0], "resolution_mean_hours", 2.0);
    assert!(!err.contains("rejected"), "{err}");
}

/// A group column blank throughout the first 2,000 rows but filled past them is read
/// for `--by team`, not its synonym `group` filled throughout: by hand, `alpha` 1
/// ticket, the 2,001 others of no team (they were all grouped by `group`).
#[test]
fn a_group_column_filled_past_the_sample_is_read() {
    let wd = Workdir::new();
    let mut t = String::from("ticket_id,created_at,team,group\n");
    for i in 0..2001 {
        t.push_str(&format!("A{i},2025-03-01T10:00:00Z,,Support\n"));
    }
    t.push_str("B1,2025-03-02T10:00:00Z,alpha,Support\n");
    wd.write("t.csv", t.as_bytes());
    let rows = wd.csv_rows(&["tickets", "t.csv", "--by", "team"]);
    let got: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r["team"].as_str(), r["tickets"].as_str()))
        .collect();
    assert_eq!(got, [("alpha", "1"), ("", "2001")]);
}
