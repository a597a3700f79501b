//! `cxm tickets --events` on a hand-made log (tests/fixtures/events), every figure
//! worked out below.
//!
//! T1: the customer writes at 09:00 (status new); a private note (09:05) and a bot
//! (09:10) do not answer; the agent replies at 09:30 (open); the customer writes at
//! 10:00 and 10:20 (one run); the agent answers at 11:00 (pending): a next reply of
//! 1 h from 10:00; solved at 12:00 by the system. Requester wait 09:00–11:00 (new,
//! open) = 2 h, agent wait 11:00–12:00 = 1 h. Two agent replies: two-touch.
//! T2: an agent opens it at 10:00 (not a reply); the customer writes at 10:30; the
//! agent's 11:30 is the first response (1.5 h); the customer's 12:00 is unanswered;
//! a `martian` event (12:30) has an unknown role, a rejected value: it counts as an
//! event, but not as a message. Status open from its first event, never
//! left: no status time counted, unresolved.
//! T9's event is in the log only.

use crate::common::{assert_empty, assert_num, fixture, parse_csv, Workdir};

fn run(args: &[&str]) -> (Vec<std::collections::HashMap<String, String>>, String) {
    run_in(&Workdir::new(), args)
}

/// [`run`] in `wd`.
fn run_in(wd: &Workdir, args: &[&str]) -> (Vec<std::collections::HashMap<String, String>>, String) {
    let out = wd
        .cxm()
        .args(args)
        .args(["--format", "csv"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{err}");
    (crate::common::parse_csv(&out.stdout), err)
}

#[test]
fn an_event_log_alone() {
    let log = fixture("events/events.csv");
    let (rows, err) = run(&["tickets", "--events", &log]);
    // The unknown role is a reject, located.
    assert!(
        err.contains("unknown author role") && err.contains("events.csv:14"),
        "{err}"
    );
    let r = &rows[0];
    // T1, T2 and T9 (an agent message creates it: no reply).
    for (column, want) in [
        ("tickets", 3.0),
        ("responded", 2.0),
        ("resolved", 1.0),
        ("first_response_mean_hours", 1.0),
        ("resolution_mean_hours", 3.0),
        ("first_resolution_mean_hours", 3.0),
        ("next_reply_mean_hours", 1.0),
        ("next_reply_p90_hours", 1.0),
        // T1 2 h, T2 0 h (its one status never left); T9 has no status event.
        ("requester_wait_mean_hours", 1.0),
        ("requester_wait_median_hours", 1.0),
        ("agent_wait_mean_hours", 0.5),
        ("on_hold_mean_hours", 0.0),
        ("two_touch_pct", 100.0),
        ("multi_touch_pct", 0.0),
        ("reopen_pct", 0.0),
        // T1 took two replies: not first contact.
        ("fcr_pct", 0.0),
        ("replies_per_resolution", 2.0),
    ] {
        assert_num(r, column, want);
    }
    assert_eq!(r["assignee_stations_mean"], "");
}

/// The log's columns come in SPEC §9's order: `next_reply_*` first, then the status
/// times, first resolution, touches and stations (next replies were last).
#[test]
fn the_logs_columns_follow_the_specs_order() {
    let log = fixture("events/events.csv");
    let out = Workdir::new()
        .cxm()
        .args(["tickets", "--events", &log, "--format", "csv", "-q"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let header: Vec<&str> = text.lines().next().unwrap_or("").split(',').collect();
    let at = |name: &str| header.iter().position(|h| *h == name);
    let spec = [
        "next_reply_mean_hours",
        "next_reply_median_hours",
        "next_reply_p90_hours",
        "requester_wait_mean_hours",
        "requester_wait_median_hours",
        "agent_wait_mean_hours",
        "on_hold_mean_hours",
        "first_resolution_mean_hours",
        "two_touch_pct",
        "multi_touch_pct",
        "assignee_stations_mean",
    ];
    let places: Vec<Option<usize>> = spec.iter().map(|n| at(n)).collect();
    assert!(places.iter().all(Option::is_some), "{header:?}");
    assert!(places.windows(2).all(|w| w[0] < w[1]), "{header:?}");
    // After the ticket columns.
    assert!(at("replies_per_resolution") < places[0], "{header:?}");
    // A policy's next-reply verdicts beside its other verdicts.
    let wd = Workdir::new();
    wd.write(
        "p.toml",
        b"[sla_policies.p]\nfirst_response = { default = \"1h\" }\nnext_reply = { default = \"1h\" }\n",
    );
    let out = wd
        .cxm()
        .args([
            "tickets",
            "--events",
            &log,
            "--config",
            "p.toml",
            "--sla-policy",
            "p",
        ])
        .args(["--format", "csv", "-q", "--now", "2026-01-01T00:00:00Z"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let header: Vec<&str> = text.lines().next().unwrap_or("").split(',').collect();
    let at = |name: &str| header.iter().position(|h| *h == name);
    let resolution = at("sla_resolution_pct").unwrap_or(usize::MAX);
    assert_eq!(
        at("sla_next_reply_achieved"),
        Some(resolution + 1),
        "{header:?}"
    );
    assert_eq!(at("sla_next_reply_pct"), Some(resolution + 4), "{header:?}");
    assert!(
        at("sla_next_reply_pct") < at("next_reply_mean_hours"),
        "{header:?}"
    );
    // A group column named like one of the log's stays first.
    wd.write(
        "t.csv",
        b"ticket_id,created_at,next_reply_queue\nT1,2025-01-06T08:50:00Z,a\nT2,2025-01-06T10:00:00Z,b\n",
    );
    for by in ["next_reply_queue", "next_reply_queue,ticket_id"] {
        let out = wd
            .cxm()
            .args(["tickets", "t.csv", "--events", &log, "--by", by])
            .args(["--format", "csv", "-q", "--every", "day"])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        let first = text.lines().next().unwrap_or("");
        let keys = by.split(',').count();
        let lead: Vec<&str> = first.split(',').take(keys + 2).collect();
        let mut want: Vec<&str> = by.split(',').collect();
        want.extend(["period", "tickets"]);
        assert_eq!(lead, want, "{first}");
    }
    // One named as a column of the log is refused, as one named as a ticket metric.
    wd.write(
        "m.csv",
        b"ticket_id,created_at,next_reply_mean_hours\nT1,2025-01-06T08:50:00Z,a\n",
    );
    wd.cxm()
        .args([
            "tickets",
            "m.csv",
            "--events",
            &log,
            "--by",
            "next_reply_mean_hours",
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "--by next_reply_mean_hours: the report already has a column 'next_reply_mean_hours'",
        ));
}

#[test]
fn an_event_log_with_its_ticket_files() {
    let log = fixture("events/events.csv");
    let tickets = fixture("events/tickets.csv");
    let (rows, err) = run(&["tickets", &tickets, "--events", &log, "--by", "team"]);
    assert!(
        err.contains("1 event of a ticket not in the ticket files was left out"),
        "{err}"
    );
    let (a, b) = (&rows[0], &rows[1]);
    // T1 created 08:50 by the ticket file: first response 40 min, resolved at
    // 3 h 10 min; its status times do not depend on creation.
    assert_num(a, "tickets", 1.0);
    assert_num(a, "first_response_mean_hours", 40.0 / 60.0);
    assert_num(a, "resolution_mean_hours", 3.0 + 10.0 / 60.0);
    assert_num(a, "requester_wait_mean_hours", 2.0);
    assert_num(a, "next_reply_median_hours", 1.0);
    // b: T2 (1.5 h to respond) and T3, which has no events.
    assert_num(b, "tickets", 2.0);
    assert_num(b, "responded", 1.0);
    assert_num(b, "first_response_mean_hours", 1.5);
    assert_num(b, "resolved", 0.0);
    assert_eq!(b["next_reply_mean_hours"], "");
}

/// A ticket whose events are all a system's says nothing of its replies, with a
/// ticket file or without: T1 (one agent reply, no reopen) is first contact, T2 is left
/// out of `fcr_pct` and `replies_per_resolution`: 1 of 1 is 100 %, 1 reply over 1.
#[test]
fn a_ticket_with_only_system_events_has_unknown_replies_with_or_without_a_file() {
    let wd = Workdir::new();
    wd.write(
        "ev.csv",
        b"ticket_id,at,author_role,public,status\n\
T1,2025-03-03T09:00:00Z,customer,true,new\n\
T1,2025-03-03T09:10:00Z,agent,true,solved\n\
T2,2025-03-03T10:00:00Z,system,true,new\n\
T2,2025-03-03T10:30:00Z,system,true,solved\n",
    );
    wd.write(
        "tk.csv",
        b"ticket_id,created_at\nT1,2025-03-03T09:00:00Z\nT2,2025-03-03T10:00:00Z\n",
    );
    let now = "--now=2025-04-01T00:00:00Z";
    for args in [
        vec!["tickets", "--events", "ev.csv", now],
        vec!["tickets", "tk.csv", "--events", "ev.csv", now],
    ] {
        let rows = wd.csv_rows(&args);
        assert_eq!(rows[0]["resolved"], "2", "{args:?}");
        assert_num(&rows[0], "fcr_pct", 100.0);
        assert_num(&rows[0], "replies_per_resolution", 1.0);
        let tickets = wd.csv_rows(&[&args[..], &["--per-ticket"]].concat());
        let t2 = tickets.iter().find(|r| r["ticket_id"] == "T2").unwrap();
        assert_empty(t2, "agent_replies");
    }
}

/// A ticket the log shows reopened, whose replies are unknown (only a system's
/// events), is left out of `fcr_pct`, as a ticket file's reopen with blank replies:
/// only tickets that missed first contact can be settled without their replies, so
/// counting them made the figure 0 %. Empty, with the ticket file and without.
#[test]
fn a_reopen_without_known_replies_leaves_first_contact_unknown() {
    let wd = Workdir::new();
    wd.write(
        "ev.csv",
        b"ticket_id,at,author_role,status\n\
T1,2025-03-03T10:00:00Z,system,new\n\
T1,2025-03-03T10:30:00Z,system,solved\n\
T1,2025-03-03T10:40:00Z,system,open\n\
T1,2025-03-03T11:00:00Z,system,solved\n",
    );
    wd.write("tk.csv", b"ticket_id,created_at\nT1,2025-03-03T10:00:00Z\n");
    for args in [
        vec!["tickets", "--events", "ev.csv"],
        vec!["tickets", "tk.csv", "--events", "ev.csv"],
    ] {
        let rows = wd.csv_rows(&args);
        assert_eq!(rows[0]["resolved"], "1", "{args:?}");
        assert_num(&rows[0], "reopen_pct", 100.0);
        assert_empty(&rows[0], "fcr_pct");
    }
}

#[test]
fn inspect_says_it_is_an_event_log_and_other_groups_need_ticket_files() {
    let log = fixture("events/events.csv");
    let wd = Workdir::new();
    let out = wd.cxm().args(["inspect", &log]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("an event log"));
    let out = wd
        .cxm()
        .args(["tickets", "--events", &log, "--by", "priority"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = wd.cxm().args(["tickets"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

/// The real ServiceNow audit log (141,712 events of 24,918 incidents, one row per
/// update with the state after it), as both the ticket file (its last row per
/// incident: priority, `opened_at`) and the event log. The reopens cxm derives from
/// the states equal ServiceNow's own `reopen_count` for every incident but one:
/// INC0000137's rows say New (09:52), Resolved (11:03), New (11:10), Closed, so in
/// time order it was reopened, while its `reopen_count` (and `sys_mod_count`, which
/// puts the 11:10 row first) says not.
#[test]
fn servicenow_reopens_by_priority_match_its_own_reopen_count() {
    use std::io::Read;
    let log = fixture("real/servicenow_incident_event_log.csv.gz");
    let (rows, _) = run(&[
        "tickets",
        &log,
        "--map",
        "ticket_id=number",
        "--map",
        "created_at=opened_at",
        "--events",
        &log,
        "--by",
        "priority",
        "-q",
    ]);
    let mut text = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(&log).unwrap())
        .read_to_string(&mut text)
        .unwrap();
    // Per incident: its last row's priority, and whether any row counts a reopen.
    let mut last: std::collections::HashMap<String, (String, bool)> = Default::default();
    for r in crate::common::parse_csv(text.as_bytes()) {
        let reopened = r["reopen_count"] != "0" || r["number"] == "INC0000137";
        let entry = last
            .entry(r["number"].clone())
            .or_insert((String::new(), false));
        entry.0 = r["priority"].clone();
        entry.1 |= reopened;
    }
    let mut by_priority: std::collections::BTreeMap<String, (f64, f64)> = Default::default();
    for (priority, reopened) in last.values() {
        let e = by_priority.entry(priority.clone()).or_default();
        e.0 += 1.0;
        e.1 += f64::from(u8::from(*reopened));
    }
    assert_eq!(rows.len(), by_priority.len());
    for row in &rows {
        let (incidents, reopened) = by_priority[&row["priority"]];
        assert_num(row, "tickets", incidents);
        // Every incident of the log ends resolved or closed.
        assert_num(row, "resolved", incidents);
        assert_num(row, "reopen_pct", 100.0 * reopened / incidents);
    }
}

/// `report` takes the log too, given or found in a folder by name (`events*.csv`);
/// a folder with a log alone has a tickets section derived from it.
#[test]
fn report_carries_the_event_log_columns() {
    let log = fixture("events/events.csv");
    let tickets = fixture("events/tickets.csv");
    let (tidy, _) = run(&["report", "--tickets", &tickets, "--events", &log]);
    let value = |rows: &[std::collections::HashMap<String, String>], metric: &str| {
        rows.iter()
            .find(|r| r["metric"] == metric)
            .unwrap_or_else(|| panic!("no {metric}"))
            .clone()
    };
    // T1 waited 2 h, T2 0 h; T3 has no events.
    assert_num(&value(&tidy, "requester_wait_mean_hours"), "value", 1.0);
    assert_num(&value(&tidy, "tickets"), "value", 3.0);
    let wd = Workdir::new();
    std::fs::create_dir(wd.path("d")).unwrap();
    std::fs::copy(&log, wd.path("d/events-2025.csv")).unwrap();
    let out = wd
        .cxm()
        .args(["report", "d", "--format", "csv", "-q"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let tidy = crate::common::parse_csv(&out.stdout);
    assert_num(&value(&tidy, "tickets"), "value", 3.0);
    assert_num(&value(&tidy, "next_reply_mean_hours"), "value", 1.0);
}

/// `--per-ticket` with a log: each ticket's facts, to reconcile any figure (the
/// values worked out at the top of this file; T1 created 08:50 by the ticket file).
#[test]
fn per_ticket_rows_of_an_event_log() {
    let log = fixture("events/events.csv");
    let tickets = fixture("events/tickets.csv");
    let (rows, _) = run(&[
        "tickets",
        &tickets,
        "--events",
        &log,
        "--per-ticket",
        "--by",
        "team",
        "--time-unit",
        "minutes",
        "-q",
    ]);
    let ids: Vec<&str> = rows.iter().map(|r| r["ticket_id"].as_str()).collect();
    assert_eq!(ids, ["T1", "T2", "T3"]);
    let t1 = &rows[0];
    for (column, want) in [
        ("first_response_minutes", 40.0),
        ("resolution_minutes", 190.0),
        ("first_resolution_minutes", 190.0),
        ("requester_wait_minutes", 120.0),
        ("agent_wait_minutes", 60.0),
        ("next_reply_mean_minutes", 60.0),
        ("next_replies", 1.0),
        ("agent_replies", 2.0),
        ("reopens", 0.0),
    ] {
        assert_num(t1, column, want);
    }
    assert_eq!(t1["team"], "a");
    assert_num(&rows[1], "first_response_minutes", 90.0);
    // T3 has no events: its event columns are empty.
    assert_eq!(rows[2]["agent_replies"], "");
}

/// A threaded message timed before what it replies to (a clock's error) is left out,
/// with a warning, rather than moving the conversation's start: 1 (the customer, at
/// 10:00) is answered by 2 at 10:30 (30 min); 3, "replying" to 2 at 08:00, and 4, at
/// 08:10 before the conversation's start, are left out, as is 5, an agent's reply to
/// 1 timed 09:00.
#[test]
fn a_threaded_reply_timed_before_what_it_answers_is_left_out() {
    let wd = Workdir::new();
    wd.write(
        "tw.csv",
        b"message_id,in_reply_to,author_id,inbound,at\n\
1,,cust1,true,2025-03-01 10:00:00\n\
2,1,brand,false,2025-03-01 10:30:00\n\
3,2,cust1,true,2025-03-01 08:00:00\n\
4,3,brand,false,2025-03-01 08:10:00\n\
5,1,brand,false,2025-03-01 09:00:00\n",
    );
    let (out, err) = wd.csv_and_stderr(&[
        "tickets",
        "--events",
        "tw.csv",
        "--per-ticket",
        "--time-unit",
        "minutes",
    ]);
    let rows = parse_csv(&out);
    assert_eq!(rows.len(), 1, "{err}");
    assert_eq!(rows[0]["created_at"], "2025-03-01T10:00:00Z");
    assert_num(&rows[0], "first_response_minutes", 30.0);
    assert_eq!(rows[0]["agent_replies"], "1");
    assert!(
        err.contains("3 messages are timed before a message up their reply chain (the one each answers, or one before it"),
        "{err}"
    );
    // Down a chain: 4 (09:45) answers 3 (09:30, before the 10:00 it answers, left
    // out), so 4 comes before the 10:00 message too, and is left out: the first
    // response is 2 at 10:00, 60 minutes after 1 at 09:00 (not 4's 45).
    wd.write(
        "chain.csv",
        b"message_id,in_reply_to,author_id,inbound,at\n\
1,,cust1,true,2025-03-01 09:00:00\n\
2,1,brand,false,2025-03-01 10:00:00\n\
3,2,cust1,true,2025-03-01 09:30:00\n\
4,3,brand,false,2025-03-01 09:45:00\n",
    );
    let (out, err) = wd.csv_and_stderr(&[
        "tickets",
        "--events",
        "chain.csv",
        "--per-ticket",
        "--time-unit",
        "minutes",
    ]);
    let rows = parse_csv(&out);
    assert_num(&rows[0], "first_response_minutes", 60.0);
    assert!(err.contains("2 messages are timed before"), "{err}");
}

/// A threaded log (messages and what they reply to, as a public customer-support
/// tweet corpus): a conversation is the reply tree of an inbound message that
/// replies to nothing. Message 1 (alice) is answered by 2 after 20 min; alice's 3 is
/// answered by 4 an hour later. 5 is the company's own post, so 6 (a reply to it)
/// is in no conversation; 7 replies to a message not in the log; 8 is unanswered.
#[test]
fn a_threaded_log() {
    let log = fixture("events/threaded.csv");
    let (rows, err) = run(&["tickets", "--events", &log, "--time-unit", "minutes"]);
    assert!(
        err.contains("3 messages belong to no conversation"),
        "{err}"
    );
    let r = &rows[0];
    assert_num(r, "tickets", 2.0);
    assert_num(r, "responded", 1.0);
    assert_num(r, "first_response_mean_minutes", 20.0);
    assert_num(r, "next_reply_mean_minutes", 60.0);
    let (per_ticket, _) = run(&["tickets", "--events", &log, "--per-ticket", "-q"]);
    let ids: Vec<&str> = per_ticket.iter().map(|r| r["ticket_id"].as_str()).collect();
    assert_eq!(ids, ["1", "8"]);
    assert_num(&per_ticket[0], "agent_replies", 2.0);
}

/// The tweet corpus writes its reply column as floats (`1.0`: a column with blanks,
/// as pandas writes it): the same thread as `a_threaded_log`, with its ids so, gives
/// the same conversations, named by the whole number.
#[test]
fn a_threaded_log_with_ids_written_as_floats() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"message_id,in_reply_to,author_id,inbound,created_at\n\
1,,alice,True,2025-01-06T09:00:00Z\n\
2.0,1.0,AcmeSupport,False,2025-01-06T09:20:00Z\n\
3,2.0,alice,True,2025-01-06T09:30:00Z\n\
4,3.00,AcmeSupport,False,2025-01-06T10:30:00Z\n\
5,,AcmeSupport,False,2025-01-06T11:00:00Z\n\
6,5.0,bob,True,2025-01-06T11:10:00Z\n\
7,99.0,carol,True,2025-01-06T12:00:00Z\n\
8.0,,dave,True,2025-01-06T12:00:00Z\n",
    );
    let log = wd.path("t.csv");
    let log = log.to_str().unwrap();
    let (rows, err) = run(&["tickets", "--events", log, "--time-unit", "minutes"]);
    assert!(
        err.contains("3 messages belong to no conversation"),
        "{err}"
    );
    assert_num(&rows[0], "tickets", 2.0);
    assert_num(&rows[0], "first_response_mean_minutes", 20.0);
    assert_num(&rows[0], "next_reply_mean_minutes", 60.0);
    let (per_ticket, _) = run(&["tickets", "--events", log, "--per-ticket", "-q"]);
    let ids: Vec<&str> = per_ticket.iter().map(|r| r["ticket_id"].as_str()).collect();
    assert_eq!(ids, ["1", "8"]);
    assert_num(&per_ticket[0], "agent_replies", 2.0);
}

/// Two replies of a thread at the same second by the same author are two messages,
/// not a repeat; the same log given twice repeats each of its three messages (the
/// copies of 2 and 3 are not next to their originals in time order).
#[test]
fn threaded_messages_repeat_only_with_their_ids() {
    let wd = Workdir::new();
    let log = "message_id,in_reply_to,author_id,inbound,created_at\n\
1,,alice,True,2025-01-06T09:00:00Z\n\
2,1,AcmeSupport,False,2025-01-06T09:20:00Z\n\
3,1,AcmeSupport,False,2025-01-06T09:20:00Z\n";
    wd.write("once.csv", log.as_bytes());
    let twice = format!("{log}{}", log.split_once('\n').unwrap().1);
    wd.write("twice.csv", twice.as_bytes());
    let warned = |file: &str| {
        let out = wd
            .cxm()
            .args(["tickets", "--events", file])
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    assert!(
        !warned("once.csv").contains("repeat"),
        "{}",
        warned("once.csv")
    );
    let err = warned("twice.csv");
    assert!(err.contains("3 events repeat an earlier one"), "{err}");
    assert!(err.contains("they are left out"), "{err}");
}

/// With the log alone, `--map` names the log's fields: `at` read from `when` (A
/// solved an hour after its first event), and a field the log has not is refused.
#[test]
fn map_names_the_logs_fields_when_it_is_alone() {
    let wd = Workdir::new();
    wd.write(
        "e.csv",
        b"ticket_id,when,status
A,2025-01-01T00:00:00Z,new
A,2025-01-01T01:00:00Z,solved
",
    );
    let rows = wd.csv_rows(&["tickets", "--events", "e.csv", "--map", "at=when", "-q"]);
    assert_eq!(rows[0]["resolved"], "1");
    assert_num(&rows[0], "resolution_mean_hours", 1.0);
    wd.cxm()
        .args(["tickets", "--events", "e.csv", "--map", "bogus=when"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("unknown field 'bogus'"));
}

/// A ticket the log does not cover keeps its ticket file's figures; one it covers
/// takes the log's, an empty one too (reopened and not solved again: unresolved);
/// first contact uses the replies and reopens the ticket now has.
#[test]
fn the_log_replaces_the_ticket_files_facts_only_where_it_covers_a_ticket() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket_id,created_at,resolved_at,agent_replies,reopens\n\
C1,2025-01-06T10:00:00Z,2025-01-06T12:00:00Z,1,0\n\
C2,2025-01-06T10:00:00Z,2025-01-06T12:00:00Z,1,1\n\
C3,2025-01-06T10:00:00Z,2025-01-06T12:00:00Z,3,0\n\
D,2025-01-06T10:00:00Z,2025-01-06T12:00:00Z,1,0\n",
    );
    // C1: one reply, solved. D: solved at 12:00 then reopened at 13:00, not solved
    // again (the ticket file's resolved_at is stale).
    wd.write(
        "e.csv",
        b"ticket_id,at,author_role,public,status\n\
C1,2025-01-06T10:00:00Z,customer,true,new\n\
C1,2025-01-06T11:00:00Z,agent,true,solved\n\
D,2025-01-06T10:00:00Z,customer,true,new\n\
D,2025-01-06T12:00:00Z,agent,true,solved\n\
D,2025-01-06T13:00:00Z,customer,true,open\n",
    );
    let rows = wd.csv_rows(&["tickets", "t.csv", "--events", "e.csv", "-q"]);
    let r = &rows[0];
    // Resolved: C1 (log), C2, C3 (file); D is open now.
    assert_num(r, "resolved", 3.0);
    // First contact: C1 (1 reply, no reopen) of C1, C2 (reopened), C3 (3 replies).
    assert_num(r, "fcr_pct", 100.0 / 3.0);
    assert_num(r, "reopen_pct", 100.0 / 3.0);
    assert_num(r, "replies_per_resolution", 5.0 / 3.0);
}

/// A log that names 1 of the 4 file tickets and is mostly of other tickets (3 of its
/// 5 events) is warned of as probably another system's; a log covering most of the
/// tickets is not.
#[test]
fn a_log_of_mostly_other_tickets_is_warned_of() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket_id,created_at\nA,2025-01-06T10:00:00Z\nB,2025-01-06T10:00:00Z\n\
C,2025-01-06T10:00:00Z\nD,2025-01-06T10:00:00Z\n",
    );
    let log = |ids: &[&str]| {
        let mut text = String::from("ticket_id,at,author_role,public,status\n");
        for id in ids {
            text.push_str(&format!("{id},2025-01-06T10:00:00Z,customer,true,new\n"));
        }
        text
    };
    wd.write("other.csv", log(&["A", "A", "X", "Y", "Z"]).as_bytes());
    wd.write(
        "same.csv",
        log(&["A", "B", "C", "X", "Y", "Z", "W"]).as_bytes(),
    );
    let warned_with = |file: &str, extra: &[&str]| {
        let out = wd
            .cxm()
            .args(["tickets", "t.csv", "--events", file])
            .args(extra)
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8_lossy(&out.stderr).contains("from the same system?")
    };
    let warned = |file: &str| warned_with(file, &[]);
    assert!(warned("other.csv"));
    // Under --where, the events of the tickets it left out are not another system's.
    assert!(!warned_with("other.csv", &["--where", "ticket_id!=B"]));
    assert!(!warned("same.csv"));
    // A log of none of the file's tickets is said by the warning of events left out.
    wd.write("none.csv", log(&["X", "Y", "Z"]).as_bytes());
    assert!(!warned("none.csv"));
}

/// Rows of the log with more fields than its header are rejects like any other:
/// `--strict` fails on them, and `--rejects` keeps both files' rejected rows.
#[test]
fn log_rejects_are_reported_and_kept_with_the_ticket_files() {
    let wd = Workdir::new();
    wd.write(
        "e.csv",
        b"ticket_id,at,author_role\nA,2025-01-06T10:00:00Z,customer\nA,2025-01-06T11:00:00Z,agent,extra\n",
    );
    let out = wd
        .cxm()
        .args(["tickets", "--events", "e.csv", "--strict"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    wd.write(
        "t.csv",
        b"ticket_id,created_at\nA,2025-01-06T10:00:00Z\nB,garbage\n",
    );
    let out = wd
        .cxm()
        .args([
            "tickets",
            "t.csv",
            "--events",
            "e.csv",
            "--rejects",
            "r.csv",
            "-q",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let kept = crate::common::parse_csv(&std::fs::read(wd.path("r.csv")).unwrap());
    let files: Vec<&str> = kept.iter().map(|r| r["file"].as_str()).collect();
    assert_eq!(files, ["t.csv", "e.csv"]);
}

/// Business hours and SLA policies on the log's durations (Berlin, 09:00–17:00 on
/// Mondays; 2025-01-06 is a Monday, UTC+1; `--now` 18:00Z is 19:00 local).
/// T1 replied at 10:30 local (created 10:00): 30 business minutes; solved 13:00:
/// 3 h. T2 created 11:00, replied 12:30: 1.5 h. First response target 8 h: T1 and T2
/// achieved, T9 (created 13:30, no reply: 3.5 h by closing) pending. Resolution
/// target 2 h: T1 took 3 h, T2 and T9 were open past 2 business hours: all breached.
#[test]
fn schedules_and_policies_on_a_log() {
    let wd = Workdir::new();
    wd.write(
        "c.toml",
        br#"[schedules.support]
tz = "Europe/Berlin"
mon = ["09:00-17:00"]

[sla_policies.standard]
schedule = "support"
first_response = { default = "8h" }
resolution = { default = "2h" }
next_reply = { default = "90m" }
"#,
    );
    let log = fixture("events/events.csv");
    let rows = wd.csv_rows(&[
        "tickets",
        "--events",
        &log,
        "--config",
        "c.toml",
        "--schedule",
        "support",
        "--sla-policy",
        "standard",
        "--now",
        "2025-01-06T18:00:00Z",
        "-q",
    ]);
    let r = &rows[0];
    for (column, want) in [
        ("first_response_business_mean_hours", 1.0),
        ("resolution_business_mean_hours", 3.0),
        ("sla_first_response_achieved", 2.0),
        ("sla_first_response_pending", 1.0),
        ("sla_resolution_breached", 3.0),
        ("sla_resolution_pct", 0.0),
        // T1's run 11:00–12:00 local: 1 business hour, within 90 min; T2's run from
        // 13:00 local is unanswered at 19:00, 4 business hours on: breached.
        ("next_reply_business_mean_hours", 1.0),
        ("sla_next_reply_achieved", 1.0),
        ("sla_next_reply_breached", 1.0),
        ("sla_next_reply_pending", 0.0),
    ] {
        assert_num(r, column, want);
    }
}

/// `-v` says where the log's usable events went: T1's 8 events belong to a ticket
/// created before `--since`, T2's 5 (the fifth's role is unknown, a rejected value,
/// but the event counts) to one in the window,
/// T9's 1 to no ticket of the ticket file.
#[test]
fn verbose_accounts_for_every_event() {
    let wd = Workdir::new();
    let line = wd.accounting(&[
        "tickets",
        &fixture("events/tickets.csv"),
        "--events",
        &fixture("events/events.csv"),
        "--since",
        "2025-01-06T09:30:00Z",
        "--format",
        "csv",
    ]);
    assert!(line.contains("3 rows read"), "{line}");
    let out = wd
        .cxm()
        .args(["tickets", &fixture("events/tickets.csv"), "--events"])
        .arg(fixture("events/events.csv"))
        .args(["--since", "2025-01-06T09:30:00Z", "-v", "--format", "csv"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(
            "14 usable events = 5 of tickets in the window + 8 of tickets outside it + 0 of tickets the ticket files reject + 1 of tickets not in the ticket files"
        ),
        "{err}"
    );
}

/// A ticket the ticket file rejects (T2: its creation time is unreadable) has its
/// event counted apart, not "in the window"; a threaded log's messages outside any
/// conversation are in the sum too (threaded.csv: 8 messages, 3 of them in threads
/// that start outside the log or with the company's own post).
#[test]
fn verbose_counts_events_of_rejected_tickets_and_orphan_messages() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket_id,created_at\nT1,2025-01-06T08:50:00Z\nT2,garbage\nT3,2025-01-05T08:00:00Z\n",
    );
    wd.write(
        "e.csv",
        b"ticket_id,at,author_role,status\nT1,2025-01-06T09:00:00Z,customer,new\nT1,2025-01-06T09:30:00Z,agent,solved\nT2,2025-01-06T10:30:00Z,agent,\nT3,2025-01-05T10:30:00Z,agent,\nT4,2025-01-05T10:30:00Z,agent,\n",
    );
    let verbose = |args: &[&str]| {
        let out = wd
            .cxm()
            .args(args)
            .args(["-v", "--format", "csv"])
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let err = verbose(&[
        "tickets",
        "t.csv",
        "--events",
        "e.csv",
        "--since",
        "2025-01-06",
    ]);
    assert!(
        err.contains("5 usable events = 2 of tickets in the window + 1 of tickets outside it + 1 of tickets the ticket files reject + 1 of tickets not in the ticket files"),
        "{err}"
    );
    let err = verbose(&["tickets", "--events", &fixture("events/threaded.csv")]);
    assert!(
        err.contains("8 usable events = 5 of tickets in the window + 0 of tickets outside it + 3 in no conversation"),
        "{err}"
    );
}

/// A rejected value other than the ticket or the time leaves the event counting: the
/// customer's opening event (unknown status `sideways`) still creates the ticket at 09:00, the
/// agent's 09:30 reply is the first response (30 min), and the 10:00 event whose
/// `public` is unreadable still solves it (resolution 1 h) but is not a reply.
#[test]
fn an_unreadable_status_or_visibility_leaves_the_event_counting() {
    let wd = Workdir::new();
    wd.write(
        "e.csv",
        b"ticket_id,at,author_role,public,status\n\
          A,2025-01-06T09:00:00Z,customer,true,sideways\n\
          A,2025-01-06T09:30:00Z,agent,true,open\n\
          A,2025-01-06T10:00:00Z,agent,maybe,solved\n",
    );
    let out = wd
        .cxm()
        .args([
            "tickets",
            "--events",
            "e.csv",
            "--per-ticket",
            "--format",
            "csv",
        ])
        .args(["--time-unit", "minutes"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("unknown status") && err.contains("unparseable boolean"),
        "{err}"
    );
    let rows = crate::common::parse_csv(&out.stdout);
    let a = &rows[0];
    assert_eq!(a["created_at"], "2025-01-06T09:00:00Z");
    assert_num(a, "first_response_minutes", 30.0);
    assert_num(a, "resolution_minutes", 60.0);
    assert_eq!(a["agent_replies"], "1");
    let strict = wd
        .cxm()
        .args(["tickets", "--events", "e.csv", "--strict"])
        .output()
        .unwrap();
    assert_eq!(strict.status.code(), Some(3));
    // In a threaded log too: the agent's 11:00 message of unreadable visibility is no
    // reply, so the first response is 13:00's, 3 h after the customer's 10:00.
    wd.write(
        "th.csv",
        b"message_id,in_reply_to,author_id,inbound,created_at,public\n\
          1,,cust,true,2025-03-01 10:00:00,true\n\
          2,1,agent,false,2025-03-01 11:00:00,maybe\n\
          3,2,cust,true,2025-03-01 12:00:00,true\n\
          4,3,agent,false,2025-03-01 13:00:00,true\n",
    );
    // So with an unreadable `inbound`: the message is no one's, and its thread's
    // replies stay in the conversation.
    let text = std::fs::read_to_string(wd.path("th.csv")).unwrap();
    let text = text.replace(
        "agent,false,2025-03-01 11:00:00,maybe",
        "agent,maybe,2025-03-01 11:00:00,true",
    );
    wd.write("th2.csv", text.as_bytes());
    for log in ["th.csv", "th2.csv"] {
        let out = wd
            .cxm()
            .args([
                "tickets",
                "--events",
                log,
                "--per-ticket",
                "--format",
                "csv",
                "-q",
            ])
            .output()
            .unwrap();
        let rows = crate::common::parse_csv(&out.stdout);
        assert_num(&rows[0], "first_response_hours", 3.0);
        assert_eq!(rows[0]["agent_replies"], "1", "{log}");
    }
}

/// Two copies of one log (the file is refused given twice) are said to repeat (each
/// of its 14 usable events meets its twin), not counted twice in silence.
#[test]
fn a_log_given_twice_is_named() {
    let wd = Workdir::new();
    let log = std::fs::read(fixture("events/events.csv")).unwrap();
    wd.write("a.csv", &log);
    wd.write("copy.csv", &log);
    let (_, err) = run_in(
        &wd,
        &["tickets", "--events", "a.csv", "--events", "copy.csv"],
    );
    assert!(err.contains("14 events repeat an earlier one"), "{err}");
}

/// A copy of an event is left out. K: an agent opens it at 8:00 (the copy next to
/// it), the customer writes at 8:30, the agent solves it at 9:00: first response 60
/// minutes (the 9:00 reply; the copy is no reply at 0), one reply, solved on first
/// contact. R, given twice: new and solved at 10:00 each time, interleaved as new,
/// solved, new, solved in time order; read once, no reopen.
#[test]
fn copies_of_events_are_left_out() {
    let wd = Workdir::new();
    wd.write(
        "k.csv",
        b"ticket_id,at,author_role,status\n\
K,2025-06-02T08:00:00Z,agent,open\n\
K,2025-06-02T08:00:00Z,agent,open\n\
K,2025-06-02T08:30:00Z,customer,\n\
K,2025-06-02T09:00:00Z,agent,solved\n",
    );
    wd.write(
        "r.csv",
        b"ticket_id,at,author_role,status\n\
R,2025-06-02T10:00:00Z,customer,new\n\
R,2025-06-02T10:00:00Z,agent,solved\n",
    );
    wd.write("r2.csv", &std::fs::read(wd.path("r.csv")).unwrap());
    let per_ticket = |args: &[&str]| {
        let out = wd.cxm().args(args).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        (
            parse_csv(&out.stdout),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let common = ["--format", "csv", "--time-unit", "minutes"];
    let (k, err) = per_ticket(
        &[
            &["tickets", "--events", "k.csv", "--per-ticket"][..],
            &common,
        ]
        .concat(),
    );
    assert_num(&k[0], "first_response_minutes", 60.0);
    assert_eq!(k[0]["agent_replies"], "1");
    assert_eq!(k[0]["next_replies"], "0");
    let (k, _) = per_ticket(&[&["tickets", "--events", "k.csv"][..], &common].concat());
    assert_num(&k[0], "fcr_pct", 100.0);
    assert!(err.contains("1 event repeats an earlier one"), "{err}");
    assert!(err.contains("it is left out"), "{err}");
    let (r, _) = per_ticket(
        &[
            &["tickets", "--events", "r.csv", "--events", "r2.csv"][..],
            &common,
        ]
        .concat(),
    );
    assert_num(&r[0], "reopen_pct", 0.0);
    assert_num(&r[0], "fcr_pct", 100.0);
}

/// Two exports overlapping within one minute, the first cut after the minute's first
/// event: the agent's opening event at 8:00 is in both, the customer's at 8:00 only in
/// the second, the solving reply at 9:00 in the second. Read together, as the second
/// alone: first response 60 minutes, one reply, no next reply, first contact. An
/// event twice in one file beside another of its instant is not a copy (two replies
/// of one minute): S's two 8:00 replies after its creation at 7:00 are two.
#[test]
fn exports_overlapping_within_an_instant_are_read_once() {
    let wd = Workdir::new();
    let header = "ticket_id,at,author_role,public,status\n";
    let opened = "T1,2025-03-10 08:00,agent,true,open\n";
    let rest = "T1,2025-03-10 08:00,customer,true,\nT1,2025-03-10 09:00,agent,true,solved\n";
    wd.write("part1.csv", format!("{header}{opened}").as_bytes());
    wd.write("part2.csv", format!("{header}{opened}{rest}").as_bytes());
    for order in [["part1.csv", "part2.csv"], ["part2.csv", "part1.csv"]] {
        let (rows, err) = run_in(
            &wd,
            &[
                "tickets",
                "--events",
                order[0],
                "--events",
                order[1],
                "--per-ticket",
                "--time-unit",
                "minutes",
            ],
        );
        assert_num(&rows[0], "first_response_minutes", 60.0);
        assert_eq!(rows[0]["agent_replies"], "1", "{order:?}");
        assert_eq!(rows[0]["next_replies"], "0", "{order:?}");
        assert_eq!(rows[0]["fcr"], "true", "{order:?}");
        assert!(err.contains("1 event repeats an earlier one"), "{err}");
    }
    wd.write(
        "s.csv",
        format!(
            "{header}S,2025-03-10 07:00,customer,true,new\nS,2025-03-10 08:00,agent,true,\n\
             S,2025-03-10 08:00,agent,true,\nS,2025-03-10 08:00,customer,true,\n"
        )
        .as_bytes(),
    );
    let (rows, err) = run_in(&wd, &["tickets", "--events", "s.csv", "--per-ticket"]);
    assert_eq!(rows[0]["agent_replies"], "2", "{err}");
    assert!(!err.contains("repeat"), "{err}");
}

/// A ticket file of dates gives its creation to the day: the log's first event of
/// that day, an agent's at 10:00, creates the ticket then (it is no reply); the
/// customer writes at 11:00 and the agent's 12:00 is the first response, 120 minutes
/// on (not 720 from the day's start); one reply, no next reply.
#[test]
fn a_ticket_file_of_dates_is_created_by_the_days_first_event() {
    let wd = Workdir::new();
    wd.write("t.csv", b"ticket_id,created_at\nT1,2025-03-10\n");
    wd.write(
        "log.csv",
        b"ticket_id,at,author_role,public\n\
          T1,2025-03-10T10:00:00Z,agent,true\n\
          T1,2025-03-10T11:00:00Z,customer,true\n\
          T1,2025-03-10T12:00:00Z,agent,true\n",
    );
    let (rows, _) = run_in(
        &wd,
        &[
            "tickets",
            "t.csv",
            "--events",
            "log.csv",
            "--per-ticket",
            "--time-unit",
            "minutes",
        ],
    );
    assert_num(&rows[0], "first_response_minutes", 120.0);
    assert_eq!(rows[0]["agent_replies"], "1");
    assert_eq!(rows[0]["next_replies"], "0");
    // A day is its own length in --tz: Berlin's 26 October 2025 has 25 hours, so its
    // event at 23:30 (+01:00) is its first and creates T1, and the reply at 09:00 the
    // next day comes 9.5 h after it. 30 March has 23 hours: T2's event at 00:30 on
    // the 31st is the next day's, a reply 23.5 h after the day's start (none of its
    // events created it). Santiago's 7 September starts at 01:00 (its midnight was
    // skipped): T3's date is still a date, and the file one of dates (T4: the 15:00
    // event creates it, the reply at 09:00 the next day comes 18 h after it).
    wd.write(
        "d.csv",
        b"ticket_id,created_at\nT1,2025-10-26\nT2,2025-03-30\n",
    );
    wd.write(
        "dl.csv",
        b"ticket_id,at,author_role,public\n\
          T1,2025-10-26T23:30:00+01:00,agent,true\n\
          T1,2025-10-27T09:00:00+01:00,agent,true\n\
          T2,2025-03-31T00:30:00+02:00,agent,true\n",
    );
    let (rows, _) = run_in(
        &wd,
        &[
            "tickets",
            "d.csv",
            "--events",
            "dl.csv",
            "--per-ticket",
            "--tz",
            "Europe/Berlin",
        ],
    );
    let got: Vec<(&str, &str, &str)> = (rows.iter())
        .map(|r| {
            (
                r["ticket_id"].as_str(),
                r["first_response_hours"].as_str(),
                r["agent_replies"].as_str(),
            )
        })
        .collect();
    assert_eq!(got, [("T1", "9.5", "1"), ("T2", "23.5", "1")]);
    wd.write(
        "s.csv",
        b"ticket_id,created_at\nT3,2025-09-07\nT4,2025-09-10\n",
    );
    wd.write(
        "sl.csv",
        b"ticket_id,at,author_role,public\n\
          T4,2025-09-10 15:00,agent,true\n\
          T4,2025-09-11 09:00,agent,true\n",
    );
    let (rows, _) = run_in(
        &wd,
        &[
            "tickets",
            "s.csv",
            "--events",
            "sl.csv",
            "--per-ticket",
            "--tz",
            "America/Santiago",
        ],
    );
    assert_eq!(rows[1]["ticket_id"], "T4");
    assert_num(&rows[1], "first_response_hours", 18.0);
    assert_eq!(rows[1]["agent_replies"], "1");
}

/// Events with ids at one instant are told apart in time that grows with their
/// number as a sort's does: 60,000 distinct events of one minute (a scan of the
/// earlier ones for each took minutes), the log given twice: each event once.
#[test]
fn many_events_of_one_instant_with_ids_are_read_once_each() {
    let wd = Workdir::new();
    let mut log = String::from("ticket_id,at,author_role,public,event_id\n");
    for i in 0..60_000 {
        log += &format!("T1,2025-03-03 09:00,customer,true,x{i}\n");
    }
    wd.write("h.csv", log.as_bytes());
    wd.write("h2.csv", log.as_bytes());
    let started = std::time::Instant::now();
    let (rows, err) = run_in(
        &wd,
        &["tickets", "--events", "h.csv", "--events", "h2.csv", "-v"],
    );
    assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
    assert_eq!(rows[0]["tickets"], "1");
    assert!(err.contains("60000 events repeat an earlier one"), "{err}");
}

/// A log that is mostly of other tickets is said even when it is given twice (its
/// copies are no events of the files' tickets): one of four tickets named, three
/// events of others.
#[test]
fn a_log_mostly_of_other_tickets_is_said_when_given_twice() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket_id,created_at\nT1,2025-03-03 09:00\nT2,2025-03-03 09:00\n\
          T3,2025-03-03 09:00\nT4,2025-03-03 09:00\n",
    );
    wd.write(
        "e.csv",
        b"ticket_id,at,author_role,public\nT1,2025-03-03 09:30,agent,true\n\
          X1,2025-03-03 09:30,agent,true\nX2,2025-03-03 09:30,agent,true\n\
          X3,2025-03-03 09:30,agent,true\n",
    );
    wd.write("e2.csv", &std::fs::read(wd.path("e.csv")).unwrap());
    let (_, err) = run_in(
        &wd,
        &[
            "tickets", "t.csv", "--events", "e.csv", "--events", "e2.csv",
        ],
    );
    assert!(
        err.contains("most of its events (3) are of other tickets"),
        "{err}"
    );
}

/// A log alone: `--where` keeps tickets by their last group (`team`), last assignee
/// (`agent`) or id. A (g1): first response and resolution 1 h; B (moved from g1 to
/// g2): 0.5 h and 2 h; C (no group): 4 h and 4 h. Another column is refused (exit
/// 2), and a column the log has not is named (exit 3).
#[test]
fn where_with_a_log_alone_reads_its_tickets() {
    let wd = Workdir::new();
    wd.write(
        "w.csv",
        b"ticket_id,at,author_role,status,group\n\
A,2025-06-02T08:00:00Z,customer,new,g1\n\
A,2025-06-02T09:00:00Z,agent,solved,g1\n\
B,2025-06-02T08:00:00Z,customer,new,g1\n\
B,2025-06-02T08:30:00Z,agent,open,g2\n\
B,2025-06-02T10:00:00Z,agent,solved,g2\n\
C,2025-06-02T08:00:00Z,customer,new,\n\
C,2025-06-02T12:00:00Z,agent,solved,\n",
    );
    let run = |condition: &str| {
        wd.cxm()
            .args(["tickets", "--events", "w.csv", "--format", "csv", "-v"])
            .args(["--where", condition])
            .output()
            .unwrap()
    };
    let cases = [
        ("team=g1", 1.0, 1.0, 1.0, 5),
        ("team=G2", 1.0, 0.5, 2.0, 4),
        ("team=", 1.0, 4.0, 4.0, 5),
        ("ticket_id in (A,C)", 2.0, 2.5, 2.5, 3),
    ];
    for (condition, tickets, frt, resolution, left_out) in cases {
        let out = run(condition);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{condition}: {err}");
        let rows = parse_csv(&out.stdout);
        assert_num(&rows[0], "tickets", tickets);
        assert_num(&rows[0], "first_response_mean_hours", frt);
        assert_num(&rows[0], "resolution_mean_hours", resolution);
        let said = format!(
            "7 usable events = {} of tickets in the window",
            7 - left_out
        );
        assert!(err.contains(&said), "{condition}: {err}");
        assert!(
            err.contains(&format!("+ {left_out} of tickets --where leaves out")),
            "{err}"
        );
    }
    let out = run("channel=chat");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("an event log alone gives team"), "{err}");
    let out = run("agent=x");
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("the event log has no assignee column"),
        "{err}"
    );
    // `report` on a folder holding the log alone: its tickets section likewise.
    std::fs::create_dir(wd.path("folder")).unwrap();
    std::fs::copy(wd.path("w.csv"), wd.path("folder/events.csv")).unwrap();
    let out = wd
        .cxm()
        .args(["report", "folder", "--where", "team=g2", "--format", "csv"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let value = |metric: &str| {
        let rows = parse_csv(&out.stdout);
        let row = rows
            .iter()
            .find(|r| r["section"] == "tickets" && r["metric"] == metric);
        row.map(|r| r["value"].clone()).unwrap_or_default()
    };
    assert_eq!(value("tickets"), "1");
    assert_eq!(value("first_response_mean_hours"), "0.5");
    // A condition the log alone cannot say of a ticket is refused there too.
    let out = wd
        .cxm()
        .args([
            "report",
            "folder",
            "--where",
            "status=new",
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("an event log alone gives team"), "{err}");
}

/// A threaded log's messages of one second are in reply order, whatever the file's:
/// 3 replies to 2 (both 22:40:47), so the customer's 22:40:47 message is answered at
/// 01:00:00 (2 h 19 min 13 s); 6 and 7 reply to 5 in its second, two agent replies.
/// Listed newest first, the same.
#[test]
fn a_thread_of_one_second_is_read_in_reply_order() {
    let wd = Workdir::new();
    let log =
        "tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\n\
1,cust1,True,Tue Oct 31 22:10:47 +0000 2017,help,2,\n\
2,AcmeSupport,False,Tue Oct 31 22:40:47 +0000 2017,hi,3,1\n\
3,cust1,True,Tue Oct 31 22:40:47 +0000 2017,still broken,4,2\n\
4,AcmeSupport,False,Wed Nov 01 01:00:00 +0000 2017,fixed,,3\n\
5,cust2,True,Tue Oct 31 22:10:47 +0000 2017,help2,6,\n\
6,AcmeSupport,False,Tue Oct 31 22:10:47 +0000 2017,quick,7,5\n\
7,AcmeSupport,False,Tue Oct 31 22:10:47 +0000 2017,quick2,,6\n";
    wd.write("th.csv", log.as_bytes());
    let mut lines: Vec<&str> = log.lines().collect();
    lines[1..].reverse();
    wd.write("reversed.csv", format!("{}\n", lines.join("\n")).as_bytes());
    for file in ["th.csv", "reversed.csv"] {
        let out = wd
            .cxm()
            .args([
                "tickets",
                "--events",
                file,
                "--per-ticket",
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
        assert_num(
            &rows[0],
            "next_reply_mean_hours",
            2.0 + 19.0 / 60.0 + 13.0 / 3600.0,
        );
        assert_eq!(rows[0]["next_replies"], "1", "{file}");
        assert_eq!(rows[1]["agent_replies"], "2", "{file}");
    }
}

/// Events alike but no repeated run each count: a status history's Active, Awaiting
/// User Info, Active within one minute (as ServiceNow's audit log holds them) is
/// waiting on the requester from creation (09:28) to the 28th's 17:38 (176 h 10 min)
/// and on the agent until 14:16 the next day (20 h 38 min); two replies of one minute
/// with ids of their own are two. Given twice, the same figures.
#[test]
fn events_alike_that_are_no_copies_count() {
    let wd = Workdir::new();
    wd.write(
        "sn.csv",
        b"number,incident_state,sys_updated_at\n\
INC1,New,21/3/2016 09:28\n\
INC1,Active,21/3/2016 21:17\n\
INC1,Active,23/3/2016 11:43\n\
INC1,Awaiting User Info,23/3/2016 11:43\n\
INC1,Active,23/3/2016 11:43\n\
INC1,Active,28/3/2016 17:38\n\
INC1,Awaiting User Info,28/3/2016 17:38\n\
INC1,Resolved,29/3/2016 14:16\n",
    );
    wd.write(
        "ids.csv",
        b"event_id,ticket_id,at,author_role,public,status\n\
1,T1,2025-01-01 09:00,customer,true,new\n\
2,T1,2025-01-01 09:20,agent,true,open\n\
3,T1,2025-01-01 09:20,agent,true,open\n\
4,T1,2025-01-01 10:00,customer,true,\n\
5,T1,2025-01-01 10:30,agent,true,solved\n",
    );
    let per_ticket = |args: &[&str]| {
        let out = wd
            .cxm()
            .args(["tickets", "--per-ticket", "--format", "csv"])
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
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    wd.write("sn2.csv", &std::fs::read(wd.path("sn.csv")).unwrap());
    for args in [
        &["--events", "sn.csv"][..],
        &["--events", "sn.csv", "--events", "sn2.csv"],
    ] {
        let (rows, _) = per_ticket(args);
        assert_num(&rows[0], "requester_wait_hours", 176.0 + 10.0 / 60.0);
        assert_num(&rows[0], "agent_wait_hours", 20.0 + 38.0 / 60.0);
    }
    // Listed newest first, the events of one minute are put in order by their update
    // counter: New (0) then Closed (1), solved at once, not reopened.
    wd.write(
        "newest_first.csv",
        b"number,incident_state,sys_mod_count,sys_updated_at\n\
INC2,Closed,1,13/2/2017 06:45\n\
INC2,New,0,13/2/2017 06:45\n",
    );
    let (rows, err) = per_ticket(&["--events", "newest_first.csv"]);
    assert_num(&rows[0], "resolution_hours", 0.0);
    assert_eq!(rows[0]["reopens"], "0", "{err}");
    // Ids past a double's digits (…560 before …567: solved, then open again); an
    // instant whose ids are not all numbers keeps the file's order (open, solved).
    wd.write(
        "snowflakes.csv",
        b"ticket_id,at,author_role,status,event_id\n\
T1,2024-01-01T09:00:00Z,system,open,1612345678901234000\n\
T1,2024-01-01T10:00:00Z,system,open,1612345678901234567\n\
T1,2024-01-01T10:00:00Z,system,solved,1612345678901234560\n\
T2,2024-01-01T09:00:00Z,system,open,1\n\
T2,2024-01-01T10:00:00Z,system,open,3\n\
T2,2024-01-01T10:00:00Z,system,solved,\n",
    );
    let (rows, err) = per_ticket(&["--events", "snowflakes.csv"]);
    assert_eq!(rows[0]["reopens"], "1", "{err}");
    assert_empty(&rows[0], "resolution_hours");
    assert_eq!(rows[1]["reopens"], "0", "{err}");
    assert_num(&rows[1], "resolution_hours", 1.0);
    let (rows, err) = per_ticket(&["--events", "ids.csv"]);
    assert_eq!(rows[0]["agent_replies"], "3", "{err}");
    assert!(!err.contains("repeat"), "{err}");
    wd.write("ids2.csv", &std::fs::read(wd.path("ids.csv")).unwrap());
    let (rows, err) = per_ticket(&["--events", "ids.csv", "--events", "ids2.csv"]);
    assert_eq!(rows[0]["agent_replies"], "3");
    assert!(err.contains("5 events repeat an earlier one"), "{err}");
    // A copy listed newest first: its 09:20 events come in the other order, and are
    // told by their ids all the same.
    let text = std::fs::read_to_string(wd.path("ids.csv")).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    lines[1..].reverse();
    wd.write("reversed.csv", format!("{}\n", lines.join("\n")).as_bytes());
    let (rows, err) = per_ticket(&["--events", "ids.csv", "--events", "reversed.csv"]);
    assert_eq!(rows[0]["agent_replies"], "3", "{err}");
    assert!(err.contains("5 events repeat an earlier one"), "{err}");
}

/// The log's facts are per ticket: with every repeated row of a ticket kept, a ticket
/// would be counted once per row, so `--keep all` is refused.
#[test]
fn keep_all_is_refused_with_a_log() {
    let wd = Workdir::new();
    let out = wd
        .cxm()
        .args(["tickets", &fixture("events/tickets.csv"), "--events"])
        .arg(fixture("events/events.csv"))
        .args(["--keep", "all"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--keep all"));
}

/// A ticket whose events say nothing of its status keeps the ticket file's
/// resolution and reopens: T1 (no status in the log) resolved after 180 min and
/// reopened, T2 solved after 20 min by the log. And first contact is unknown while a
/// ticket's replies are, even after a reopen: without roles in the log or replies in
/// the file, neither T1 nor T2 (reopened) counts, and `fcr_pct` is empty (it was 0 %,
/// the figure of the reopened tickets alone).
#[test]
fn a_log_without_a_tickets_status_keeps_the_files() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket_id,created_at,resolved_at,reopens\n\
          T1,2025-01-06T09:00:00Z,2025-01-06T12:00:00Z,2\n\
          T2,2025-01-06T09:00:00Z,2025-01-06T10:00:00Z,0\n",
    );
    wd.write(
        "log.csv",
        b"ticket_id,at,author_role,public,status\n\
          T1,2025-01-06T09:00:00Z,customer,true,\n\
          T1,2025-01-06T09:30:00Z,agent,true,\n\
          T2,2025-01-06T09:00:00Z,customer,true,new\n\
          T2,2025-01-06T09:20:00Z,agent,true,solved\n",
    );
    let rows = wd.csv_rows(&[
        "tickets",
        "t.csv",
        "--events",
        "log.csv",
        "--time-unit",
        "minutes",
        "-q",
    ]);
    let r = &rows[0];
    assert_eq!(r["resolved"], "2");
    assert_num(r, "resolution_mean_minutes", 100.0);
    assert_num(r, "reopen_pct", 50.0);
    // T1 reopened, T2 one reply and not reopened.
    assert_num(r, "fcr_pct", 50.0);

    wd.write(
        "t2.csv",
        b"ticket_id,created_at\nT1,2025-01-06T09:00:00Z\nT2,2025-01-06T09:00:00Z\n",
    );
    wd.write(
        "log2.csv",
        b"ticket_id,at,status\n\
          T1,2025-01-06T09:00:00Z,new\nT1,2025-01-06T10:00:00Z,solved\n\
          T2,2025-01-06T09:00:00Z,new\nT2,2025-01-06T10:00:00Z,solved\n\
          T2,2025-01-06T11:00:00Z,open\nT2,2025-01-06T12:00:00Z,solved\n",
    );
    let rows = wd.csv_rows(&["tickets", "t2.csv", "--events", "log2.csv", "-q"]);
    assert_num(&rows[0], "reopen_pct", 50.0);
    assert_eq!(rows[0]["fcr_pct"], "");
    // The log alone likewise.
    let rows = wd.csv_rows(&["tickets", "--events", "log2.csv", "-q"]);
    assert_num(&rows[0], "reopen_pct", 50.0);
    assert_eq!(rows[0]["fcr_pct"], "");
}

/// Beside a ticket file, first contact from the log's replies still needs a known
/// reopen count: T1 (one reply by the log, its file's reopen count blank, no status
/// in the log) is unknown and left out, T2 (two replies, none reopened) is not first
/// contact: 0 of 1 (T1 had been taken as not reopened: 50 %). A file's own `fcr`
/// column stands whatever the log says (F1 yes, F2 no: 50 %, with a log of one reply
/// each, or of statuses alone).
#[test]
fn first_contact_beside_a_log_needs_the_files_counts_or_takes_its_flag() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket_id,created_at,resolved_at,agent_replies,reopens\n\
          T1,2025-03-01T09:00:00Z,2025-03-01T12:00:00Z,1,\n\
          T2,2025-03-01T09:00:00Z,2025-03-01T12:00:00Z,2,0\n",
    );
    wd.write(
        "roles.csv",
        b"ticket_id,at,author_role,public\n\
          T1,2025-03-01T09:00:00Z,end-user,true\nT1,2025-03-01T09:30:00Z,agent,true\n",
    );
    let rows = wd.csv_rows(&["tickets", "t.csv", "--events", "roles.csv", "-q"]);
    assert_num(&rows[0], "fcr_pct", 0.0);
    wd.write(
        "f.csv",
        b"ticket_id,created_at,resolved_at,fcr\n\
          F1,2025-03-01T09:00:00Z,2025-03-01T12:00:00Z,yes\n\
          F2,2025-03-01T09:00:00Z,2025-03-01T12:00:00Z,no\n",
    );
    wd.write(
        "f_roles.csv",
        b"ticket_id,at,author_role,public\n\
          F1,2025-03-01T09:00:00Z,end-user,true\nF1,2025-03-01T09:30:00Z,agent,true\n\
          F2,2025-03-01T09:00:00Z,end-user,true\nF2,2025-03-01T09:30:00Z,agent,true\n",
    );
    wd.write(
        "f_status.csv",
        b"ticket_id,at,status\n\
          F1,2025-03-01T09:00:00Z,new\nF1,2025-03-01T11:00:00Z,solved\n\
          F2,2025-03-01T09:00:00Z,new\nF2,2025-03-01T11:00:00Z,solved\n",
    );
    for log in ["f_roles.csv", "f_status.csv"] {
        let rows = wd.csv_rows(&["tickets", "f.csv", "--events", log, "-q"]);
        assert_num(&rows[0], "fcr_pct", 50.0);
    }
}

/// `--per-ticket` with a log keeps the ticket file's own SLA verdict, which
/// `sla_pct` reads (A met, B not: 50 %), and says no first contact for a ticket
/// still open (U: one reply, no reopen, unresolved), as without the log.
#[test]
fn per_ticket_rows_with_a_log_keep_the_exports_verdict() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket_id,created_at,first_response_at,resolved_at,made_sla\n\
          A,2025-04-01T09:00:00Z,2025-04-01T10:00:00Z,2025-04-01T12:00:00Z,true\n\
          B,2025-04-01T09:00:00Z,2025-04-01T10:00:00Z,2025-04-01T12:00:00Z,false\n\
          U,2025-04-01T09:00:00Z,,,\n",
    );
    wd.write(
        "log.csv",
        b"ticket_id,at,author_role,public,status\n\
          A,2025-04-01T10:00:00Z,agent,true,solved\nB,2025-04-01T10:00:00Z,agent,true,solved\n\
          U,2025-04-01T09:00:00Z,customer,true,new\nU,2025-04-01T10:00:00Z,agent,true,open\n",
    );
    let rows = wd.csv_rows(&[
        "tickets",
        "t.csv",
        "--events",
        "log.csv",
        "--per-ticket",
        "-q",
    ]);
    let got: Vec<[&str; 3]> = rows
        .iter()
        .map(|r| {
            [
                r["ticket_id"].as_str(),
                r["sla_met"].as_str(),
                r["fcr"].as_str(),
            ]
        })
        .collect();
    assert_eq!(
        got,
        [["A", "true", "true"], ["B", "false", "true"], ["U", "", ""]]
    );
    let totals = wd.csv_rows(&["tickets", "t.csv", "--events", "log.csv", "-q"]);
    assert_num(&totals[0], "sla_pct", 50.0);
}

/// Beside ticket files whose durations are a vendor's minutes, only the tickets the
/// log times get business time and business-hours verdicts: T1 (created Monday
/// 08:00, answered and solved at 10:00 by the log, open from 09:00) has 1 business
/// hour for each, breaching 15 min and achieving 2 h; T2, which the log does not
/// cover, keeps its minutes and gets neither.
#[test]
fn business_time_only_for_the_tickets_the_log_times() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket_id,created_at,resolution_minutes,first_response_minutes\n\
          T1,2025-01-06T08:00:00Z,120,30\nT2,2025-01-06T08:00:00Z,120,30\n",
    );
    wd.write(
        "log.csv",
        b"ticket_id,at,author_role,status\n\
          T1,2025-01-06T08:00:00Z,customer,new\nT1,2025-01-06T10:00:00Z,agent,solved\n",
    );
    wd.write(
        "c.toml",
        b"[schedules.biz]\ntz = \"UTC\"\nmon = [\"09:00-17:00\"]\n\n\
          [sla_policies.p]\nschedule = \"biz\"\n\
          first_response = { default = \"15m\" }\nresolution = { default = \"2h\" }\n",
    );
    let rows = wd.csv_rows(&[
        "tickets",
        "t.csv",
        "--events",
        "log.csv",
        "--config",
        "c.toml",
        "--schedule",
        "biz",
        "--sla-policy",
        "p",
        "--now",
        "2025-02-01T00:00:00Z",
        "--per-ticket",
        "-q",
    ]);
    let (t1, t2) = (&rows[0], &rows[1]);
    assert_num(t1, "first_response_business_hours", 1.0);
    assert_num(t1, "resolution_business_hours", 1.0);
    assert_eq!(
        (
            t1["sla_first_response"].as_str(),
            t1["sla_resolution"].as_str()
        ),
        ("breached", "achieved")
    );
    assert_num(t2, "first_response_hours", 0.5);
    for column in [
        "first_response_business_hours",
        "resolution_business_hours",
        "sla_first_response",
        "sla_resolution",
    ] {
        assert_empty(t2, column);
    }
}

/// `--schedule` gives every duration of the log a business variant (SPEC §9), on a
/// weekday 09:00–17:00 UTC schedule (tests/fixtures/events/weekend.csv):
/// A: new Fri 16:00, open 16:30 (first response), pending 16:45, the customer writes
/// 16:50 and Mon 10:00 (open), hold Mon 11:00 (the answer), solved 13:00, reopened by
/// the customer 18:00, solved by the agent's answer Tue 09:30.
/// - requester wait 0.5 + 0.25 + 1 (Mon 10–11) + 15.5 (Mon 18:00–Tue 09:30) = 17.25 h;
///   in business time 0.5 + 0.25 + 1 + 0.5 = 2.25 h;
/// - agent wait Fri 16:45–Mon 10:00 = 65.25 h; business 0.25 + 1 = 1.25 h;
/// - on hold Mon 11–13: 2 h both ways;
/// - first resolution Fri 16:00–Mon 13:00 = 69 h; business 1 + 4 = 5 h;
/// - next replies Fri 16:50–Mon 11:00 (66 h 10 m; business 10 m + 2 h) and
///   Mon 18:00–Tue 09:30 (15.5 h; business 0.5 h): means 40.8333 h and 1.3333 h.
///
/// B, created on Saturday 10:00 and solved Mon 09:15: 47.25 h waiting, 0.25 h of it
/// in business hours; no agent or hold time.
#[test]
fn a_schedule_gives_every_log_duration_a_business_variant() {
    let wd = Workdir::new();
    wd.write(
        "c.toml",
        br#"[schedules.office]
tz = "UTC"
mon = ["09:00-17:00"]
tue = ["09:00-17:00"]
wed = ["09:00-17:00"]
thu = ["09:00-17:00"]
fri = ["09:00-17:00"]
"#,
    );
    let log = fixture("events/weekend.csv");
    let args = [
        "tickets",
        "--events",
        &log,
        "--config",
        "c.toml",
        "--schedule",
        "office",
        "-q",
    ];
    let rows = wd.csv_rows(&args);
    let r = &rows[0];
    for (column, want) in [
        ("requester_wait_mean_hours", (17.25 + 47.25) / 2.0),
        ("requester_wait_business_mean_hours", (2.25 + 0.25) / 2.0),
        ("agent_wait_mean_hours", 65.25 / 2.0),
        ("agent_wait_business_mean_hours", 1.25 / 2.0),
        ("on_hold_business_mean_hours", 1.0),
        ("first_resolution_mean_hours", (69.0 + 47.25) / 2.0),
        ("first_resolution_business_mean_hours", (5.0 + 0.25) / 2.0),
        ("next_reply_business_mean_hours", (13.0 / 6.0 + 0.5) / 2.0),
        ("next_reply_mean_hours", (66.0 + 1.0 / 6.0 + 15.5) / 2.0),
    ] {
        assert_num(r, column, want);
    }
    let mut per_ticket = args.to_vec();
    per_ticket.push("--per-ticket");
    let rows = wd.csv_rows(&per_ticket);
    let (a, b) = (&rows[0], &rows[1]);
    for (column, want_a, want_b) in [
        ("requester_wait_business_hours", 2.25, 0.25),
        ("agent_wait_business_hours", 1.25, 0.0),
        ("on_hold_business_hours", 2.0, 0.0),
        ("first_resolution_business_hours", 5.0, 0.25),
        ("resolution_business_hours", 9.5, 0.25),
    ] {
        assert_num(a, column, want_a);
        assert_num(b, column, want_b);
    }
    assert_num(
        a,
        "next_reply_business_mean_hours",
        (13.0 / 6.0 + 0.5) / 2.0,
    );
    assert_empty(b, "next_reply_business_mean_hours");
}

/// Ticket ids are compared trimmed between the ticket file and the log: ` T1 ` in
/// the file is the log's `T1` and ` T1`, `T2 ` in the log is the file's `T2`. T1 is
/// answered 40 min after its creation (08:50 → 09:30) and solved then; T2 is answered
/// 30 min after it, not solved. No event is left out.
#[test]
fn ids_are_compared_trimmed_between_ticket_file_and_log() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket_id,created_at,team\n T1 ,2025-01-06T08:50:00Z,a\nT2,2025-01-06T10:00:00Z,b\n",
    );
    wd.write(
        "e.csv",
        b"ticket_id,at,author_role,status\nT1,2025-01-06T09:00:00Z,customer,new\n T1,2025-01-06T09:30:00Z,agent,solved\nT2 ,2025-01-06T10:30:00Z,agent,\n",
    );
    let out = wd
        .cxm()
        .args(["tickets", "t.csv", "--events", "e.csv", "--by", "team"])
        .args(["--format", "csv"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(!err.contains("left out"), "{err}");
    let rows = crate::common::parse_csv(&out.stdout);
    assert_num(&rows[0], "first_response_mean_hours", 40.0 / 60.0);
    assert_num(&rows[0], "resolution_mean_hours", 40.0 / 60.0);
    assert_num(&rows[0], "requester_wait_mean_hours", 0.5);
    assert_num(&rows[1], "first_response_mean_hours", 0.5);
    assert_num(&rows[1], "resolved", 0.0);
}

/// A log whose clock runs behind the ticket file: K1 is created at 10:00:30 in the
/// file, and the log has it answered and solved at 10:00:20. Those are negative
/// durations: not counted for the SLA (as a resolved_at before created_at in a ticket
/// file), not breached. K2, answered and solved 20 min after its creation, achieves
/// both targets (1 h, 1 day).
#[test]
fn a_log_time_before_creation_is_not_counted_for_the_sla() {
    let wd = Workdir::new();
    wd.write(
        "s.toml",
        b"[sla_policies.p]\nfirst_response = { default = \"1h\" }\nresolution = { default = \"1d\" }\n",
    );
    wd.write(
        "t.csv",
        b"ticket_id,created_at\nK1,2025-03-03T10:00:30Z\nK2,2025-03-03T10:00:00Z\n",
    );
    wd.write(
        "e.csv",
        b"ticket_id,at,author_role,public,status\n\
          K1,2025-03-03T10:00:00Z,customer,true,new\nK1,2025-03-03T10:00:20Z,agent,true,solved\n\
          K2,2025-03-03T10:00:00Z,customer,true,new\nK2,2025-03-03T10:20:00Z,agent,true,solved\n",
    );
    let run = |extra: &[&str]| {
        let out = wd
            .cxm()
            .args([
                "tickets", "t.csv", "--events", "e.csv", "--config", "s.toml",
            ])
            .args(["--sla-policy", "p", "--now", "2025-04-01T00:00:00Z"])
            .args(["--format", "csv"])
            .args(extra)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr).to_string();
        assert!(out.status.success(), "{err}");
        (crate::common::parse_csv(&out.stdout), err)
    };
    let (rows, err) = run(&["--per-ticket"]);
    assert!(
        err.contains("1 ticket was answered or solved only before its creation time"),
        "{err}"
    );
    assert_eq!(rows[0]["sla_first_response"], "");
    assert_eq!(rows[0]["sla_resolution"], "");
    assert_eq!(rows[1]["sla_first_response"], "achieved");
    assert_eq!(rows[1]["sla_resolution"], "achieved");
    let (rows, _) = run(&[]);
    for m in ["first_response", "resolution"] {
        assert_num(&rows[0], &format!("sla_{m}_achieved"), 1.0);
        assert_num(&rows[0], &format!("sla_{m}_breached"), 0.0);
        assert_num(&rows[0], &format!("sla_{m}_pending"), 0.0);
    }
}

/// `--per-ticket` shows the reopens the grouped figures read: the log's for R1 (its
/// statuses: solved, open, solved again, 1 reopen), the ticket file's for R2 (2) and
/// R3 (0), which the log does not cover. reopen_pct = 2 reopened of 3 tickets.
#[test]
fn per_ticket_reopens_are_those_the_figures_use() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket_id,created_at,resolved_at,reopens\n\
          R1,2025-03-03T10:00:00Z,2025-03-03T11:00:00Z,0\n\
          R2,2025-03-03T10:00:00Z,2025-03-03T11:00:00Z,2\n\
          R3,2025-03-03T10:00:00Z,2025-03-03T11:00:00Z,0\n",
    );
    wd.write(
        "e.csv",
        b"ticket_id,at,status\nR1,2025-03-03T10:00:00Z,new\nR1,2025-03-03T10:05:00Z,solved\n\
          R1,2025-03-03T10:07:00Z,open\nR1,2025-03-03T10:08:00Z,solved\n",
    );
    let run = |extra: &[&str]| {
        let out = wd
            .cxm()
            .args(["tickets", "t.csv", "--events", "e.csv", "--format", "csv"])
            .args(extra)
            .output()
            .unwrap();
        assert!(out.status.success());
        crate::common::parse_csv(&out.stdout)
    };
    let rows = run(&["--per-ticket"]);
    let reopens: Vec<&str> = rows.iter().map(|r| r["reopens"].as_str()).collect();
    assert_eq!(reopens, ["1", "2", "0"]);
    assert_num(&run(&[])[0], "reopen_pct", 200.0 / 3.0);
}

/// Beside an event log, a ticket the log does not cover keeps its ticket file's
/// resolution, `closed_at` included, and a rejected close gives no SLA verdict: T1
/// closed after 4 h (achieved at a 4 h target), T2 solved in the log after 2 h
/// (achieved), T3's close unreadable and T5's before its creation (no verdict).
#[test]
fn a_rejected_close_beside_a_log_has_no_verdict() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket_id,created_at,resolved_at,closed_at\n\
T1,2025-03-03T10:00:00Z,,2025-03-03T14:00:00Z\n\
T2,2025-03-03T10:00:00Z,,2025-03-03T16:00:00Z\n\
T3,2025-03-03T10:00:00Z,,garbage\n\
T5,2025-03-03T10:00:00Z,,2025-03-03T09:00:00Z\n",
    );
    wd.write(
        "e.csv",
        b"ticket_id,at,author_role,public,status\n\
T2,2025-03-03T10:00:00Z,customer,true,new\n\
T2,2025-03-03T12:00:00Z,agent,true,solved\n",
    );
    wd.write(
        "cal.toml",
        b"[sla_policies.cal]\nresolution = { default = \"4h\" }\n",
    );
    let rows = wd.csv_rows(&[
        "tickets",
        "t.csv",
        "--events",
        "e.csv",
        "--config",
        "cal.toml",
        "--sla-policy",
        "cal",
        "--now",
        "2025-03-10T00:00:00Z",
        "--per-ticket",
        "-q",
    ]);
    let verdicts: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r["ticket_id"].as_str(), r["sla_resolution"].as_str()))
        .collect();
    assert_eq!(
        verdicts,
        [
            ("T1", "achieved"),
            ("T2", "achieved"),
            ("T3", ""),
            ("T5", "")
        ]
    );
}

/// Zammad's "pending close" waits on the customer as pending does, in any spelling:
/// the agent's reply at 10:00 is the first response (1 h), two agent replies, then
/// new 09:00–10:00 (requester wait 1 h) and pending 10:00–11:00 (agent wait 1 h).
#[test]
fn zammads_pending_close_is_pending() {
    let wd = Workdir::new();
    wd.write(
        "zam.csv",
        b"ticket_id,at,author_role,status\n\
          Z,2025-03-03T09:00:00Z,customer,new\n\
          Z,2025-03-03T10:00:00Z,agent,Pending Close\n\
          Z,2025-03-03T10:30:00Z,agent,pending_close\n\
          Z,2025-03-03T11:00:00Z,system,closed\n",
    );
    let rows = wd.csv_rows(&["tickets", "--events", "zam.csv", "--strict"]);
    let r = &rows[0];
    assert_num(r, "first_response_mean_hours", 1.0);
    assert_num(r, "requester_wait_mean_hours", 1.0);
    assert_num(r, "agent_wait_mean_hours", 1.0);
    assert_num(r, "resolution_mean_hours", 2.0);
    assert_num(r, "replies_per_resolution", 2.0);
}

/// A ServiceNow audit log with `incident_state` as codes (1 new, 2 in progress, 3 on
/// hold, 6 resolved, 7 closed), read as its ticket export's preset reads them: opened
/// 09:00, in progress 10:00, on hold 12:00–13:00, resolved 13:00: resolution 4 h, the
/// requester waited 09:00–12:00 (3 h), 1 h on hold.
#[test]
fn a_servicenow_log_with_state_codes() {
    let wd = Workdir::new();
    wd.write(
        "log.csv",
        b"number,opened_at,sys_updated_at,incident_state,assigned_to,priority\n\
INC1,2025-03-03 09:00:00,2025-03-03 09:00:00,1,,3\n\
INC1,2025-03-03 09:00:00,2025-03-03 10:00:00,2,abc,3\n\
INC1,2025-03-03 09:00:00,2025-03-03 12:00:00,3,abc,3\n\
INC1,2025-03-03 09:00:00,2025-03-03 13:00:00,6,abc,3\n\
INC1,2025-03-03 09:00:00,2025-03-04 13:00:00,7,abc,3\n",
    );
    let (rows, err) = wd.csv_and_stderr(&["tickets", "--events", "log.csv", "--per-ticket"]);
    assert!(!err.contains("unknown status"), "{err}");
    let rows = crate::common::parse_csv(&rows);
    assert_eq!(rows.len(), 1);
    assert_num(&rows[0], "resolution_hours", 4.0);
    assert_num(&rows[0], "requester_wait_hours", 3.0);
    assert_num(&rows[0], "on_hold_hours", 1.0);
}

/// A log given alone takes the file options: `--delimiter` reads its `^`-separated
/// columns (two events: a customer's at 09:00, the agent's public reply at 09:30).
#[test]
fn a_log_alone_takes_the_delimiter() {
    let wd = Workdir::new();
    wd.write(
        "log.csv",
        b"ticket_id^at^author_role^public\nT1^2025-03-03T09:00:00Z^customer^true\nT1^2025-03-03T09:30:00Z^agent^true\n",
    );
    let (rows, err) = wd.csv_and_stderr(&["tickets", "--events", "log.csv", "--delimiter", "^"]);
    assert!(err.is_empty(), "{err}");
    let rows = crate::common::parse_csv(&rows);
    assert_num(&rows[0], "tickets", 1.0);
    assert_num(&rows[0], "first_response_median_hours", 0.5);
}

/// inspect tells of an event log's words the commands reject, located: a status no
/// word reads (line 3), a role (line 4), a `public` neither yes nor no (line 5), not
/// the visibility words the commands read (`Public`, `internal_note`); a
/// `[statuses]` word in the config is known; `end_user` is a role, as `end user` is.
#[test]
fn inspect_tells_of_a_logs_unknown_words() {
    let wd = Workdir::new();
    wd.write(
        "log.csv",
        b"ticket_id,at,author_role,public,status\n\
T1,2025-03-03T09:00:00Z,end_user,Public,new\n\
T1,2025-03-03T09:30:00Z,agent,internal_note,frobnicated\n\
T1,2025-03-03T10:00:00Z,manager,true,\n\
T1,2025-03-03T11:00:00Z,agent,maybe,solved\n",
    );
    let out = wd.cxm().args(["inspect", "log.csv"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("column 'status' (status): 1 of the 3 filled values sampled is not a known status (first at line 3: 'frobnicated')"),
        "{text}"
    );
    assert!(
        text.contains("column 'author_role' (author_role): 1 of the 4 filled values sampled is not a known role (agent, customer, system, bot…) (first at line 4: 'manager')"),
        "{text}"
    );
    assert!(
        text.contains("column 'public' (public): 1 of the 4 filled values sampled is not yes or no (true/false, 1/0, public/private) (first at line 5: 'maybe')"),
        "{text}"
    );
    wd.write("c.toml", b"[statuses]\nfrobnicated = \"hold\"\n");
    let out = wd
        .cxm()
        .args(["inspect", "log.csv", "--config", "c.toml"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("not a known status"), "{text}");
    // The commands reject the same words, at the same lines.
    let out = wd
        .cxm()
        .args(["tickets", "--events", "log.csv", "--format", "csv"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("line 3") || err.contains("log.csv:3"), "{err}");
    assert!(
        err.contains("log.csv:4, column 'author_role', value 'manager'"),
        "{err}"
    );
    assert!(!err.contains("end_user"), "{err}");
}

/// A threaded log's roles come from `inbound`: an `author_role` column beside it is
/// not read, so neither the command nor inspect rejects its `manager`; the unreadable
/// `inbound` of line 3 is what both name. Message 1 (09:00, inbound) is answered by
/// message 3 (09:30, outbound): a 30-minute first response.
#[test]
fn a_threaded_logs_roles_come_from_inbound_alone() {
    let wd = Workdir::new();
    wd.write(
        "thr.csv",
        b"message_id,in_reply_to,author_id,inbound,created_at,author_role\n\
1,,alice,True,2025-01-06T09:00:00Z,customer\n\
2,1,Acme,maybe,2025-01-06T09:20:00Z,agent\n\
3,2,Acme,False,2025-01-06T09:30:00Z,manager\n",
    );
    let (rows, err) =
        wd.csv_and_stderr(&["tickets", "--events", "thr.csv", "--time-unit", "minutes"]);
    assert!(
        err.contains("1 rejected: unparseable boolean in inbound (first at thr.csv:3, column 'inbound', value 'maybe')"),
        "{err}"
    );
    assert!(!err.contains("author role"), "{err}");
    let rows = crate::common::parse_csv(&rows);
    assert_num(&rows[0], "first_response_median_minutes", 30.0);
    let out = wd.cxm().args(["inspect", "thr.csv"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("column 'inbound' (inbound): 1 of the 3 filled values"),
        "{text}"
    );
    assert!(!text.contains("not a known role"), "{text}");
}

/// inspect with `--preset servicenow` on ServiceNow's audit log (an event log that
/// the preset also reads, as incidents): no claim that the preset does not fit, and
/// its state codes are statuses.
#[test]
fn inspect_of_an_audit_log_with_its_preset() {
    let wd = Workdir::new();
    wd.write(
        "log.csv",
        b"number,opened_at,sys_updated_at,incident_state\n\
INC1,2025-03-03 09:00:00,2025-03-03 09:00:00,1\nINC1,2025-03-03 09:00:00,2025-03-03 13:00:00,6\n",
    );
    let out = wd
        .cxm()
        .args(["inspect", "log.csv", "--preset", "servicenow"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("problems:\n  none found"), "{text}");
}

/// A ticket file's creation time to the minute (09:00, as Zendesk exports it) and the
/// log's first event, the agent's at 09:00:40, that creates the ticket then: the
/// customer answers at 09:30 and the agent's 10:00 is the first response, 59 min 20 s
/// after creation, and the only reply (no next reply).
#[test]
fn the_event_that_creates_a_ticket_within_its_minute_is_no_reply() {
    let wd = Workdir::new();
    wd.write("t.csv", b"ticket_id,created_at\nJ1,2025-03-03 09:00\n");
    wd.write(
        "log.csv",
        b"ticket_id,at,author_role,public\nJ1,2025-03-03T09:00:40Z,agent,true\nJ1,2025-03-03T09:30:00Z,customer,true\nJ1,2025-03-03T10:00:00Z,agent,true\n",
    );
    let out = wd
        .cxm()
        .args(["tickets", "t.csv", "--events", "log.csv", "--per-ticket"])
        .args(["--time-unit", "minutes", "-q"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let rows = crate::common::parse_csv(&out.stdout);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_num(&rows[0], "first_response_minutes", 59.0 + 20.0 / 60.0);
    assert_eq!(rows[0]["agent_replies"], "1");
    assert_eq!(rows[0]["next_replies"], "0");
}

/// A file of times to the second, one of which falls on a whole minute (A, 09:00:00):
/// the file's precision is a second for every ticket, so A's agent event 40 s on is
/// a first response of 40 s and A has two replies, as B (09:00:01, 40 s) does, with
/// the whole minute first or last. A used to be judged to the minute alone (and,
/// last, so was every ticket): its 40 s event created it.
#[test]
fn a_files_precision_is_of_all_its_times() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket_id,created_at\nA,2025-03-03T09:00:00Z\nB,2025-03-03T09:00:01Z\n",
    );
    wd.write(
        "t_last.csv",
        b"ticket_id,created_at\nB,2025-03-03T09:00:01Z\nA,2025-03-03T09:00:00Z\n",
    );
    wd.write(
        "log.csv",
        b"ticket_id,at,author_role,public\n\
          A,2025-03-03T09:00:40Z,agent,true\nA,2025-03-03T09:30:00Z,agent,true\n\
          B,2025-03-03T09:00:41Z,agent,true\nB,2025-03-03T09:30:00Z,agent,true\n",
    );
    for tickets in ["t.csv", "t_last.csv"] {
        let out = wd
            .cxm()
            .args(["tickets", tickets, "--events", "log.csv", "--per-ticket"])
            .args(["--time-unit", "seconds", "-q"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        let rows = crate::common::parse_csv(&out.stdout);
        assert_eq!(rows.len(), 2);
        for row in &rows {
            assert_num(row, "first_response_seconds", 40.0);
            assert_eq!(row["agent_replies"], "2", "{tickets}: {row:?}");
        }
    }
    // Each file its own: M1's file is of whole minutes (its 09:00:40 event creates it,
    // its 09:10 one is the first response: 560 s, one reply), read beside a file of
    // seconds (S1 at 09:00:30, answered at 09:00:40: 10 s, two replies), in either
    // order.
    wd.write(
        "minutes.csv",
        b"ticket_id,created_at\nM1,2025-03-03T09:00:00Z\n",
    );
    wd.write(
        "seconds.csv",
        b"ticket_id,created_at\nS1,2025-03-03T09:00:30Z\n",
    );
    wd.write(
        "two.csv",
        b"ticket_id,at,author_role,public\n\
          M1,2025-03-03T09:00:40Z,agent,true\nM1,2025-03-03T09:10:00Z,agent,true\n\
          S1,2025-03-03T09:00:40Z,agent,true\nS1,2025-03-03T09:30:00Z,agent,true\n",
    );
    for files in [
        ["minutes.csv", "seconds.csv"],
        ["seconds.csv", "minutes.csv"],
    ] {
        let out = wd
            .cxm()
            .arg("tickets")
            .args(files)
            .args([
                "--events",
                "two.csv",
                "--per-ticket",
                "--time-unit",
                "seconds",
            ])
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        let rows = crate::common::parse_csv(&out.stdout);
        let row = |id: &str| rows.iter().find(|r| r["ticket_id"] == id).unwrap();
        assert_num(row("M1"), "first_response_seconds", 560.0);
        assert_eq!(row("M1")["agent_replies"], "1", "{files:?}");
        assert_num(row("S1"), "first_response_seconds", 10.0);
        assert_eq!(row("S1")["agent_replies"], "2", "{files:?}");
    }
}

/// `--events a.csv b.csv` reads `b.csv` as a ticket file: the error says the option
/// is given once per log.
#[test]
fn a_second_log_after_one_events_option_is_told_how_to_give_it() {
    let wd = Workdir::new();
    let log = b"ticket_id,at,author_role\nT1,2025-03-03T09:00:00Z,customer\n";
    wd.write("a.csv", log);
    wd.write("b.csv", log);
    let out = wd
        .cxm()
        .args(["tickets", "--events", "a.csv", "b.csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("b.csv"), "{err}");
    assert!(err.contains("--events a.csv --events b.csv"), "{err}");
}

/// A ServiceNow log too bare for its signature (number, sys_updated_on,
/// incident_state) with `--preset servicenow`: its codes read as the preset reads
/// them, 1 new, 2 in progress, 3 on hold, 6 resolved, 7 closed. By hand: created at
/// 09:00 (the first event), resolved at 12:00 (3 h), on hold 11:00–12:00 (1 h). They
/// used to be rejected as unknown statuses.
#[test]
fn a_named_preset_reads_a_bare_logs_status_codes() {
    let wd = Workdir::new();
    wd.write(
        "snc.csv",
        b"number,sys_updated_on,incident_state\n\
          INC1,2025-03-03 09:00:00,1\nINC1,2025-03-03 10:00:00,2\nINC1,2025-03-03 11:00:00,3\n\
          INC1,2025-03-03 12:00:00,6\nINC1,2025-03-03 13:00:00,7\n",
    );
    let out = wd
        .cxm()
        .args(["tickets", "--events", "snc.csv", "--preset", "servicenow"])
        .args(["--per-ticket", "--format", "csv"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("rejected"), "{err}");
    let rows = crate::common::parse_csv(&out.stdout);
    assert_num(&rows[0], "resolution_hours", 3.0);
    assert_num(&rows[0], "on_hold_hours", 1.0);
}

/// `public` in the words helpdesks export: the agent's `internal` note at 09:10 is
/// no reply, the `Public` one at 09:30 is the first response (30 min), the
/// `private` one at 10:00 and the `Internal_Note` at 10:30 are no second reply: one
/// reply, nothing rejected.
#[test]
fn visibility_words_read_as_public_or_not() {
    let wd = Workdir::new();
    wd.write(
        "log.csv",
        b"ticket_id,at,author_role,public\n\
          V1,2025-03-03T09:00:00Z,customer,public\n\
          V1,2025-03-03T09:10:00Z,agent,internal\n\
          V1,2025-03-03T09:30:00Z,agent,Public\n\
          V1,2025-03-03T10:00:00Z,agent,private\n\
          V1,2025-03-03T10:30:00Z,agent,Internal_Note\n",
    );
    let out = wd
        .cxm()
        .args(["tickets", "--events", "log.csv", "--per-ticket"])
        .args(["--time-unit", "minutes"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("rejected"), "{err}");
    let rows = crate::common::parse_csv(&out.stdout);
    assert_num(&rows[0], "first_response_minutes", 30.0);
    assert_eq!(rows[0]["agent_replies"], "1");
}

/// A ticket the ticket file rejects whole (T2: a field beyond the header) has its
/// event counted as one of a rejected ticket, not of a ticket the files lack. T3's
/// second row (an unreadable time) is left out as a repeat: T3 keeps its first row's
/// creation, 08:00, so the agent's 10:30 event is its first response (2.5 h; T1's,
/// from its 08:50 in the file to the agent's 09:30, is 40 min).
#[test]
fn events_of_a_ragged_ticket_are_those_of_a_rejected_one() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket_id,created_at,team\nT1,2025-01-06T08:50:00Z,a\nT2,2025-01-06T08:00:00Z,b,extra\nT3,2025-01-06T08:00:00Z,a\nT3,garbage,c\n",
    );
    wd.write(
        "e.csv",
        b"ticket_id,at,author_role,status\nT1,2025-01-06T09:00:00Z,customer,new\nT1,2025-01-06T09:30:00Z,agent,solved\nT2,2025-01-06T10:30:00Z,agent,\nT3,2025-01-06T10:30:00Z,agent,\nT4,2025-01-05T10:30:00Z,agent,\n",
    );
    let out = wd
        .cxm()
        .args(["tickets", "t.csv", "--events", "e.csv", "--by", "team"])
        .args(["-v", "--format", "csv"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("5 usable events = 3 of tickets in the window + 0 of tickets outside it + 1 of tickets the ticket files reject + 1 of tickets not in the ticket files"),
        "{err}"
    );
    // Neither rejected row makes a group of its own (b, c).
    let rows = parse_csv(&out.stdout);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0]["team"], "a");
    assert_num(&rows[0], "tickets", 2.0);
    assert_num(&rows[0], "responded", 2.0);
    assert_num(
        &rows[0],
        "first_response_mean_hours",
        (40.0 / 60.0 + 2.5) / 2.0,
    );
}

/// A ticket export given as the event log maps onto its fields (`created_at` as the
/// event's time, its status) and would make every ticket resolved when created: it
/// is refused, pointing to where it belongs. A status history whose time column is
/// `created_at` is a log all the same: T1 new at 09:00, solved at 12:00 (3 h).
#[test]
fn a_ticket_export_is_no_event_log() {
    let wd = Workdir::new();
    wd.write(
        "history.csv",
        b"ticket_id,created_at,status
T1,2025-01-06T09:00:00Z,new
T1,2025-01-06T10:00:00Z,open
T1,2025-01-06T12:00:00Z,solved
",
    );
    let out = wd
        .cxm()
        .args(["tickets", "--events", "history.csv", "--format", "csv"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_num(&parse_csv(&out.stdout)[0], "resolution_mean_hours", 3.0);
    let tickets = concat!(env!("CARGO_MANIFEST_DIR"), "/sample-data/tickets.csv");
    for (args, said) in [
        (
            vec!["tickets", tickets, "--events", tickets],
            "give it as a ticket FILE: cxm tickets FILE --events LOG",
        ),
        (
            vec!["report", "--tickets", tickets, "--events", tickets],
            "give it as --tickets FILE",
        ),
    ] {
        let out = wd.cxm().args(&args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(3), "{args:?}: {err}");
        assert!(
            err.contains("its headers say it holds tickets, not an event log")
                && err.contains(said),
            "{args:?}: {err}"
        );
    }
}

/// A ticket whose events are none of them a customer's or an agent's keeps the ticket
/// file's first response and replies: the log says nothing of them. D1 (blank role),
/// D3 (`weird`) and D4 (a system's status change) keep 60 min and 1 reply; D2's
/// customer message says the log knows its messages, and no agent's reply came:
/// unanswered, 0 replies.
#[test]
fn a_tickets_events_without_a_known_role_keep_its_files_replies() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket_id,created_at,first_response_at,resolved_at,agent_replies,reopens\n\
D1,2025-03-03 09:00,2025-03-03 10:00,2025-03-03 12:00,1,0\n\
D2,2025-03-03 09:00,2025-03-03 10:00,2025-03-03 12:00,1,0\n\
D3,2025-03-03 09:00,2025-03-03 10:00,2025-03-03 12:00,1,0\n\
D4,2025-03-03 09:00,2025-03-03 10:00,2025-03-03 12:00,1,0\n",
    );
    wd.write(
        "e.csv",
        b"ticket_id,at,author_role,public,status\n\
D1,2025-03-03 09:20,,true,\n\
D2,2025-03-03 09:20,customer,true,\n\
D3,2025-03-03 09:20,weird,true,\n\
D4,2025-03-03 11:00,system,false,solved\n",
    );
    let (out, err) = wd.csv_and_stderr(&[
        "tickets",
        "t.csv",
        "--events",
        "e.csv",
        "--per-ticket",
        "--time-unit",
        "minutes",
    ]);
    let rows = parse_csv(&out);
    let facts: Vec<(&str, &str, &str)> = (rows.iter())
        .map(|r| {
            (
                r["ticket_id"].as_str(),
                r["first_response_minutes"].as_str(),
                r["agent_replies"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        facts,
        [
            ("D1", "60", "1"),
            ("D2", "", "0"),
            ("D3", "60", "1"),
            ("D4", "60", "1")
        ],
        "{err}"
    );
    let (out, err) = wd.csv_and_stderr(&["tickets", "t.csv", "--events", "e.csv"]);
    let rows = parse_csv(&out);
    assert_eq!(rows[0]["responded"], "3", "{err}");
}

/// A log alone grouped by team needs its group column, as a ticket file needs its
/// `team`: an error naming the column to map (exit 3), not one group of blanks.
#[test]
fn by_team_needs_the_logs_group_column() {
    let wd = Workdir::new();
    wd.write(
        "ev.csv",
        b"ticket_id,at,author_role,status\nT1,2025-01-06T09:00:00Z,customer,new\nT1,2025-01-06T09:20:00Z,agent,solved\n",
    );
    wd.cxm()
        .args(["tickets", "--events", "ev.csv", "--by", "team"])
        .assert()
        .code(3)
        .stderr(predicates::str::contains(
            "ev.csv: --by team: the event log has no group column",
        ));
    wd.cxm()
        .args(["tickets", "--events", "ev.csv", "--by", "agent"])
        .assert()
        .code(3)
        .stderr(predicates::str::contains("--map assignee=COLUMN"));
    // The config file's `by` serves other files too: passed over, with a warning.
    wd.write("c.toml", b"by = [\"team\"]\n");
    let (out, err) = wd.csv_and_stderr(&["tickets", "--events", "ev.csv", "--config", "c.toml"]);
    assert!(
        err.contains("by = 'team' in --config: the event log ev.csv has no group column"),
        "{err}"
    );
    assert_eq!(parse_csv(&out)[0]["tickets"], "1");
    // In a report, the tickets section is not grouped by it, as another section whose
    // data lacks the column.
    wd.write(
        "s.csv",
        b"response_id,submitted_at,csat,team\nr1,2025-01-06T10:00:00Z,5,a\n",
    );
    let (out, err) = wd.csv_and_stderr(&[
        "report",
        "--events",
        "ev.csv",
        "--surveys",
        "s.csv",
        "--by",
        "team",
    ]);
    assert!(
        err.contains(
            "tickets: no column or field 'team' in its data; that section is not grouped by it"
        ),
        "{err}"
    );
    let rows = parse_csv(&out);
    assert!(
        (rows.iter())
            .any(|r| r["section"] == "tickets" && r["metric"] == "tickets" && r["value"] == "1"),
        "{rows:?}"
    );
}

/// An SLA policy whose `where` reads a ticket field (`reopens`) beside an event log:
/// the ticket files' value is read for it. Only T1 (1 reopen) is under the policy;
/// its first public agent event is 10 minutes after creation, within 30m: achieved.
#[test]
fn a_policy_reads_a_ticket_field_beside_a_log() {
    let w = Workdir::new();
    w.write(
        "t.csv",
        b"ticket_id,created_at,first_response_at,resolved_at,reopens,agent_replies\n\
T1,2025-03-03T09:00:00Z,2025-03-03T09:20:00Z,2025-03-03T12:00:00Z,1,2\n\
T2,2025-03-03T10:00:00Z,2025-03-03T11:30:00Z,2025-03-04T10:00:00Z,0,1\n",
    );
    w.write(
        "e.csv",
        b"ticket_id,at,author_role,public,status\n\
T1,2025-03-03T09:00:00Z,customer,true,new\n\
T1,2025-03-03T09:10:00Z,agent,true,open\n\
T1,2025-03-03T11:00:00Z,agent,true,solved\n\
T2,2025-03-03T10:00:00Z,customer,true,new\n\
T2,2025-03-03T11:00:00Z,agent,true,solved\n",
    );
    w.write(
        "p.toml",
        b"[sla_policies.p]\nfirst_response = { default = \"30m\" }\nwhere = { reopens = [\"1\"] }\n",
    );
    let rows = w.csv_rows(&[
        "tickets",
        "t.csv",
        "--events",
        "e.csv",
        "--config",
        "p.toml",
        "--sla-policy",
        "p",
        "-q",
    ]);
    assert_eq!(rows[0]["sla_first_response_achieved"], "1");
    assert_eq!(rows[0]["sla_first_response_breached"], "0");
}

/// Beside a ticket file without response or resolution times, a ticket the log has no
/// message or status of has not been answered or resolved (it is counted open), in
/// business time as in calendar time: T1 and T2, created Monday 09:00, have 19 open
/// hours by Wednesday 12:00 against a 1 h target (breached under both clocks); T3,
/// answered and solved after 20 min, is achieved: 1 of 3, 33.3333 %.
#[test]
fn tickets_the_log_says_nothing_of_breach_in_business_time_too() {
    let wd = Workdir::new();
    let policy = "first_response = { default = \"1h\" }\nresolution = { default = \"1h\" }\n";
    let schedule = "[schedules.s]\ntz = \"UTC\"\nmon = [\"09:00-17:00\"]\ntue = [\"09:00-17:00\"]\nwed = [\"09:00-17:00\"]\n";
    wd.write(
        "business.toml",
        format!("{schedule}[sla_policies.p]\nschedule = \"s\"\n{policy}").as_bytes(),
    );
    wd.write(
        "calendar.toml",
        format!("[sla_policies.p]\n{policy}").as_bytes(),
    );
    wd.write(
        "t.csv",
        b"ticket_id,created_at\nT1,2025-03-03T09:00:00Z\nT2,2025-03-03T09:00:00Z\nT3,2025-03-03T09:00:00Z\n",
    );
    wd.write(
        "e.csv",
        b"ticket_id,at,author_role,public,status\n\
T3,2025-03-03T09:10:00Z,customer,true,open\n\
T3,2025-03-03T09:20:00Z,agent,true,solved\n",
    );
    for config in ["business.toml", "calendar.toml"] {
        let args = [
            "tickets",
            "t.csv",
            "--events",
            "e.csv",
            "--config",
            config,
            "--sla-policy",
            "p",
            "--now",
            "2025-03-05T12:00:00Z",
        ];
        let (out, err) = wd.csv_and_stderr(&args);
        let rows = parse_csv(&out);
        let r = &rows[0];
        assert_num(r, "open", 2.0);
        for metric in ["sla_first_response", "sla_resolution"] {
            assert_num(r, &format!("{metric}_achieved"), 1.0);
            assert_num(r, &format!("{metric}_breached"), 2.0);
            assert_num(r, &format!("{metric}_pending"), 0.0);
            assert_num(r, &format!("{metric}_pct"), 100.0 / 3.0);
        }
        assert!(!err.contains("panicked"), "{config}: {err}");
    }
}

/// A log read alone keeps tickets by what it says of them: `team=N/A` keeps the
/// ticket whose group is missing (`N/A`, a blank group under `--by team`), T1, as a
/// file's `--where` does, not none.
#[test]
fn a_logs_where_of_a_missing_marker_keeps_the_blank_group() {
    let wd = Workdir::new();
    wd.write(
        "ev.csv",
        b"ticket_id,at,author_role,status,group\n\
T1,2025-03-03T09:00:00Z,customer,new,N/A\n\
T1,2025-03-03T09:10:00Z,agent,solved,N/A\n\
T2,2025-03-03T09:00:00Z,customer,new,billing\n",
    );
    let (out, err) = wd.csv_and_stderr(&["tickets", "--events", "ev.csv", "--where", "team=N/A"]);
    let rows = parse_csv(&out);
    assert_num(&rows[0], "tickets", 1.0);
    assert_num(&rows[0], "resolved", 1.0);
    assert!(!err.contains("no ticket of the event log is kept"), "{err}");
}

/// A ticket created on a date (Tuesday 4 March) by the log's customer event at 14:00
/// is created then for everything that follows: the agent's 16:00 solve is a first
/// response and resolution of 2 h, in business hours (09:00–17:00) too, so a 1 h
/// first-response target is breached and a 4 h resolution target achieved; it shows
/// as created at 14:00; a window of that morning does not hold it. Unanswered at
/// 14:30, its 1 h and 4 h calendar targets are pending, not breached from midnight.
#[test]
fn a_date_ticket_is_created_by_its_event_for_business_time_slas_and_windows() {
    let wd = Workdir::new();
    wd.write("d.csv", b"ticket_id,created_at\nT1,2025-03-04\n");
    wd.write(
        "e.csv",
        b"ticket_id,at,author_role,public,status\n\
          T1,2025-03-04T14:00:00Z,customer,true,new\n\
          T1,2025-03-04T16:00:00Z,agent,true,solved\n",
    );
    wd.write(
        "open.csv",
        b"ticket_id,at,author_role,public,status\nT1,2025-03-04T14:00:00Z,customer,true,new\n",
    );
    wd.write(
        "c.toml",
        b"[schedules.biz]\ntz = \"UTC\"\ntue = [\"09:00-17:00\"]\n\n\
          [sla_policies.bp]\nschedule = \"biz\"\n\
          first_response = { default = \"1h\" }\nresolution = { default = \"4h\" }\n\n\
          [sla_policies.cal]\n\
          first_response = { default = \"1h\" }\nresolution = { default = \"4h\" }\n",
    );
    let base = [
        "tickets",
        "d.csv",
        "--config",
        "c.toml",
        "--tz",
        "UTC",
        "--per-ticket",
    ];
    let rows = wd.csv_rows(
        &[
            &base[..],
            &[
                "--events",
                "e.csv",
                "--schedule",
                "biz",
                "--sla-policy",
                "bp",
            ],
            &["--now", "2025-03-10T00:00:00Z", "-q"],
        ]
        .concat(),
    );
    let r = &rows[0];
    assert_eq!(r["created_at"], "2025-03-04T14:00:00Z");
    for column in [
        "first_response_hours",
        "resolution_hours",
        "first_response_business_hours",
        "resolution_business_hours",
    ] {
        assert_num(r, column, 2.0);
    }
    assert_eq!(r["sla_first_response"], "breached");
    assert_eq!(r["sla_resolution"], "achieved");
    let rows = wd.csv_rows(
        &[
            &base[..],
            &["--events", "open.csv", "--sla-policy", "cal"],
            &["--now", "2025-03-04T14:30:00Z", "-q"],
        ]
        .concat(),
    );
    assert_eq!(rows[0]["sla_first_response"], "pending");
    assert_eq!(rows[0]["sla_resolution"], "pending");
    let rows = wd.csv_rows(&[
        "tickets",
        "d.csv",
        "--events",
        "e.csv",
        "--tz",
        "UTC",
        "--since",
        "2025-03-04T00:00:00Z",
        "--until",
        "2025-03-04T12:00:00Z",
        "-q",
    ]);
    assert_eq!(rows[0]["tickets"], "0");
    // The afternoon holds it, and is no stale window.
    let out = wd
        .cxm()
        .args(["tickets", "d.csv", "--events", "e.csv", "--tz", "UTC"])
        .args(["--since", "2025-03-04T12:00:00Z", "--format", "csv"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(crate::common::parse_csv(&out.stdout)[0]["tickets"], "1");
    assert!(!err.contains("holds none of the tickets"), "{err}");
}

/// Two logs of different columns (comments with roles, a status history) are one
/// log to cxm and are refused (exit 3): the message says to join them, not to give
/// them apart (they are).
#[test]
fn two_logs_of_other_columns_are_told_to_be_joined() {
    let wd = Workdir::new();
    wd.write(
        "comments.csv",
        b"ticket_id,at,author_role,public\nS1,2025-03-03 09:00:00,end-user,true\n",
    );
    wd.write(
        "statuses.csv",
        b"ticket_id,at,status\nS1,2025-03-03 09:30:00,solved\n",
    );
    let out = wd
        .cxm()
        .args([
            "tickets",
            "--events",
            "comments.csv",
            "--events",
            "statuses.csv",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("event logs are read as one log: join a comments export and a status history into one file"), "{err}");
    assert!(!err.contains("give the files apart"), "{err}");
}

/// A creating audit writes the status `new` and the agent's opening message at one
/// time, in either order (P1: the status first; P2: the message first): neither is a
/// response. By hand, each ticket's first response is the agent's 10:00 (1 h), one
/// reply, first contact resolved; with a ticket file created at 09:00 too (P1 was
/// answered at 0 h, with two replies, one of them a next reply, not resolved on
/// first contact).
#[test]
fn an_agents_opening_message_beside_the_creating_status_is_no_response() {
    let wd = Workdir::new();
    wd.write(
        "log.csv",
        b"ticket_id,at,author_role,public,status\n\
          P1,2025-03-03T09:00:00Z,,,new\n\
          P1,2025-03-03T09:00:00Z,agent,true,\n\
          P1,2025-03-03T09:30:00Z,customer,true,\n\
          P1,2025-03-03T10:00:00Z,agent,true,solved\n\
          P2,2025-03-03T09:00:00Z,agent,true,\n\
          P2,2025-03-03T09:00:00Z,,,new\n\
          P2,2025-03-03T09:30:00Z,customer,true,\n\
          P2,2025-03-03T10:00:00Z,agent,true,solved\n",
    );
    wd.write(
        "t.csv",
        b"ticket_id,created_at\nP1,2025-03-03T09:00:00Z\nP2,2025-03-03T09:00:00Z\n",
    );
    let (rows, _) = run_in(&wd, &["tickets", "--events", "log.csv", "--per-ticket"]);
    assert_eq!(rows.len(), 2);
    for r in &rows {
        assert_num(r, "first_response_hours", 1.0);
        assert_eq!(r["agent_replies"], "1", "{r:?}");
        assert_eq!(r["next_replies"], "0", "{r:?}");
        assert_eq!(r["fcr"], "true", "{r:?}");
    }
    let (rows, _) = run_in(&wd, &["tickets", "t.csv", "--events", "log.csv"]);
    assert_num(&rows[0], "first_response_mean_hours", 1.0);
    assert_num(&rows[0], "fcr_pct", 100.0);
}

/// A `private` column (Freshdesk's conversations) is `public` the other way round:
/// the agent's private note at 09:10 is no reply, the 10:00 message the first
/// response (1 h), one reply. A log marking the customer's messages `incoming`
/// rather than with roles reads its roles from it, as a threaded log does (it gave
/// no figure at all); a log with neither roles nor statuses is warned of.
#[test]
fn private_notes_and_incoming_messages_as_freshdesk_writes_them() {
    let wd = Workdir::new();
    wd.write(
        "p.csv",
        b"ticket_id,at,author_role,private,status\n\
          F1,2025-03-03T09:00:00Z,customer,false,open\n\
          F1,2025-03-03T09:10:00Z,agent,true,\n\
          F1,2025-03-03T10:00:00Z,agent,false,resolved\n",
    );
    wd.write(
        "i.csv",
        b"ticket_id,created_at,incoming,private,user_id\n\
          F1,2025-03-03T09:00:00Z,true,false,u1\n\
          F1,2025-03-03T09:10:00Z,false,true,a1\n\
          F1,2025-03-03T10:00:00Z,false,false,a1\n",
    );
    for log in ["p.csv", "i.csv"] {
        let (rows, err) = run_in(&wd, &["tickets", "--events", log, "--per-ticket"]);
        assert_num(&rows[0], "first_response_hours", 1.0);
        assert_eq!(rows[0]["agent_replies"], "1", "{log}: {err}");
        assert!(!err.contains("neither"), "{err}");
    }
    let (rows, _) = run_in(&wd, &["tickets", "--events", "p.csv", "--per-ticket"]);
    assert_eq!(rows[0]["fcr"], "true");
    wd.write(
        "n.csv",
        b"ticket_id,at,user_id\nF1,2025-03-03T09:00:00Z,u1\nF1,2025-03-03T10:00:00Z,a1\n",
    );
    let (rows, err) = run_in(&wd, &["tickets", "--events", "n.csv"]);
    assert_empty(&rows[0], "first_response_mean_hours");
    assert!(
        err.contains(
            "the event log (n.csv) has neither an author_role (or inbound) nor a status column"
        ) && err.contains("--map author_role=COLUMN"),
        "{err}"
    );
}

/// Intercom's conversation parts write the customer as `user`, which no built-in word
/// reads (Help Scout's `user` is an agent): `[roles]` in the config reads it. C1: the
/// customer at 09:00, the agent (`admin`) at 09:30, the customer at 10:00, the agent
/// at 10:30: first response 0.5 h, one next reply of 0.5 h. Without it, the customer's
/// messages are rejected as of an unknown role, and `inspect` names `[roles]`.
#[test]
fn roles_words_from_the_config() {
    let wd = Workdir::new();
    wd.write(
        "ic.csv",
        b"conversation_id,author_type,created_at\n\
          C1,user,2025-03-03T09:00:00Z\n\
          C1,admin,2025-03-03T09:30:00Z\n\
          C1,user,2025-03-03T10:00:00Z\n\
          C1,admin,2025-03-03T10:30:00Z\n",
    );
    wd.write("c.toml", b"[roles]\nUser = \"customer\"\n");
    let args = [
        "tickets",
        "--events",
        "ic.csv",
        "--map",
        "ticket_id=conversation_id",
    ];
    let (rows, err) = run_in(
        &wd,
        &[&args[..], &["--per-ticket", "--config", "c.toml"]].concat(),
    );
    assert!(!err.contains("rejected"), "{err}");
    assert_num(&rows[0], "first_response_hours", 0.5);
    assert_num(&rows[0], "next_reply_mean_hours", 0.5);
    assert_eq!(rows[0]["next_replies"], "1");
    let (rows, err) = run_in(&wd, &[&args[..], &["--per-ticket"]].concat());
    assert!(err.contains("2 rejected: unknown author role"), "{err}");
    assert!(
        err.contains("'user'); add the word under [roles] in a --config file"),
        "{err}"
    );
    assert_eq!(rows[0]["next_replies"], "0");
    let out = wd
        .cxm()
        .args([
            "inspect",
            "ic.csv",
            "--map",
            "ticket_id=conversation_id",
            "--map",
            "at=created_at",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("(add the word under [roles] in a --config file)"),
        "{text}"
    );
}

/// A log whose `incoming` column is blank throughout says of no event who wrote it:
/// read as a log without roles and warned of, as a blank `author_role` is (it read
/// every ticket as unanswered). A `private` or `incoming` value that is no yes or no
/// is among `inspect`'s problems, and a log of `incoming` and `at` is an event log
/// to it.
#[test]
fn a_blank_incoming_column_is_a_log_without_roles() {
    let wd = Workdir::new();
    wd.write(
        "lin.csv",
        b"ticket_id,at,incoming,status\n1,2025-01-02T09:00:00Z,,new\n1,2025-01-02T09:30:00Z,,open\n1,2025-01-02T12:00:00Z,,solved\n",
    );
    let (rows, err) = run_in(&wd, &["tickets", "--events", "lin.csv"]);
    assert_empty(&rows[0], "responded");
    assert_num(&rows[0], "resolution_mean_hours", 3.0);
    assert!(
        err.contains("the event log's 'incoming' column is blank throughout"),
        "{err}"
    );
    wd.write(
        "lp.csv",
        b"ticket_id,at,author_role,private\n1,2025-01-02T09:00:00Z,customer,maybe\n1,2025-01-02T10:00:00Z,agent,false\n",
    );
    wd.write(
        "li.csv",
        b"ticket_id,at,incoming\n1,2025-01-02T09:00:00Z,sometimes\n1,2025-01-02T10:00:00Z,false\n",
    );
    for (file, column) in [
        ("lp.csv", "'private' (private)"),
        ("li.csv", "'incoming' (inbound)"),
    ] {
        let out = wd.cxm().args(["inspect", file]).output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("data: an event log"), "{text}");
        assert!(
            text.contains(&format!(
                "column {column}: 1 of the 2 filled values sampled is not yes or no"
            )),
            "{text}"
        );
    }
}

/// On a log alone `--by` takes `team` and `agent` in any case, as `--where` does.
#[test]
fn by_team_on_a_log_alone_in_any_case() {
    let wd = Workdir::new();
    wd.write(
        "g.csv",
        b"ticket_id,at,author_role,group\nX1,2025-03-03T09:00:00Z,customer,Billing\nX1,2025-03-03T09:30:00Z,agent,Billing\n",
    );
    let (rows, _) = run_in(&wd, &["tickets", "--events", "g.csv", "--by", "TEAM"]);
    assert_eq!(rows[0]["team"], "Billing");
    assert_num(&rows[0], "first_response_mean_hours", 0.5);
    let out = wd
        .cxm()
        .args(["tickets", "--events", "g.csv", "--by", "group"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("(a ticket's last group: --by team)"), "{err}");
}

/// A `private` value that is no yes or no makes its event no message, as an unreadable
/// `public` does: the agent's 11:00 is neither reply nor first response; the 12:00 one
/// is (2 h), one reply.
#[test]
fn an_unreadable_private_value_is_no_message() {
    let wd = Workdir::new();
    wd.write(
        "p.csv",
        b"ticket_id,at,author_role,private\n1,2025-03-01T10:00:00Z,customer,false\n1,2025-03-01T11:00:00Z,agent,maybe\n1,2025-03-01T12:00:00Z,agent,false\n",
    );
    let (rows, err) = run_in(&wd, &["tickets", "--events", "p.csv", "--per-ticket"]);
    assert!(
        err.contains("1 rejected: unparseable boolean in private"),
        "{err}"
    );
    assert_num(&rows[0], "first_response_hours", 2.0);
    assert_eq!(rows[0]["agent_replies"], "1");
}

/// A log's ids a spreadsheet rewrote (`1.23457E+17`) are warned of, as a ticket
/// file's are: two conversations merged into one ticket.
#[test]
fn a_logs_mangled_ids_are_warned_of() {
    let wd = Workdir::new();
    wd.write(
        "e.csv",
        b"ticket_id,at,author_role\n1.23457E+17,2025-03-01T09:00:00Z,customer\n1.23457E+17,2025-03-01T10:00:00Z,agent\n",
    );
    let (_, err) = run_in(&wd, &["tickets", "--events", "e.csv"]);
    assert!(
        err.contains("e.csv: column 'ticket_id' (ticket_id): 2 of the first 2 values look like numbers a spreadsheet rewrote in scientific notation"),
        "{err}"
    );
}

/// A ticket export with an `inbound` flag and an `is_public` column, and its own
/// first response and resolution times, stays tickets (it was read as an event log:
/// `report` derived its tickets from it, every one unanswered): answered in 1 h and
/// 0.5 h, mean 0.75 h.
#[test]
fn a_ticket_export_with_inbound_and_is_public_is_tickets() {
    let wd = Workdir::new();
    std::fs::create_dir(wd.path("d")).unwrap();
    wd.write(
        "d/export.csv",
        b"ticket_id,created_at,status,priority,agent,is_public,inbound,first_response_at,resolved_at\n\
          1,2025-03-01T10:00:00Z,solved,high,ann,true,true,2025-03-01T11:00:00Z,2025-03-01T12:00:00Z\n\
          2,2025-03-02T10:00:00Z,open,low,bob,true,false,2025-03-02T10:30:00Z,\n",
    );
    let out = wd.cxm().args(["inspect", "d/export.csv"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("data: tickets"), "{text}");
    let (rows, _) = run_in(&wd, &["report", "d", "--period", "2025-03"]);
    let mean = rows
        .iter()
        .find(|r| r["section"] == "tickets" && r["metric"] == "first_response_mean_hours")
        .unwrap();
    assert_num(mean, "value", 0.75);
}

/// `report` of a folder holding an event log and no ticket file, `--by` a column the
/// surveys have: the tickets section is not grouped by it, with a warning, as for a
/// ticket file lacking it (it stopped the report, exit 2); a column none has is exit 3.
#[test]
fn report_by_a_column_a_log_alone_cannot_give() {
    let wd = Workdir::new();
    std::fs::create_dir(wd.path("d")).unwrap();
    wd.write(
        "d/events.csv",
        b"ticket_id,at,author_role,status,assignee,group\n1,2025-03-01T10:00:00Z,customer,open,,Billing\n1,2025-03-01T11:00:00Z,agent,solved,ann,Billing\n",
    );
    wd.write(
        "d/surveys.csv",
        b"response_id,submitted_at,csat,channel\nr1,2025-03-01,5,email\nr2,2025-03-02,4,chat\n",
    );
    let args = [
        "report",
        "d",
        "--period",
        "2025-03",
        "--now",
        "2025-04-01T00:00:00Z",
    ];
    let (rows, err) = run_in(&wd, &[&args[..], &["--by", "channel"]].concat());
    assert!(
        err.contains("tickets: no column or field 'channel' in its data (an event log alone gives team and agent); that section is not grouped by it"),
        "{err}"
    );
    let first = rows
        .iter()
        .find(|r| r["section"] == "tickets" && r["metric"] == "first_response_mean_hours")
        .unwrap();
    assert_num(first, "value", 1.0);
    let chat = rows
        .iter()
        .find(|r| r["section"] == "surveys" && r["channel"] == "chat" && r["metric"] == "csat_mean")
        .unwrap();
    assert_num(chat, "value", 4.0);
    let out = wd
        .cxm()
        .args(args)
        .args(["--by", "nosuch"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
}

/// A log whose every status word is unknown (German, no `[statuses]`) tells no
/// resolution: `resolved` and `open` are empty, as for a log without statuses (it
/// counted the ticket open); beside a ticket file, the file's resolution (3 h) stands.
#[test]
fn a_log_of_unknown_statuses_tells_no_resolution() {
    let wd = Workdir::new();
    wd.write(
        "ev.csv",
        "ticket_id,at,author_role,status\nT1,2025-01-03T09:00:00Z,customer,Neu\nT1,2025-01-03T10:00:00Z,agent,Gelöst\n".as_bytes(),
    );
    let (rows, err) = run_in(&wd, &["tickets", "--events", "ev.csv"]);
    assert!(err.contains("2 rejected: unknown status"), "{err}");
    assert_empty(&rows[0], "resolved");
    assert_empty(&rows[0], "open");
    assert_num(&rows[0], "first_response_mean_hours", 1.0);
    wd.write(
        "t.csv",
        b"ticket_id,created_at,resolved_at\nT1,2025-01-03T09:00:00Z,2025-01-03T12:00:00Z\n",
    );
    let (rows, _) = run_in(&wd, &["tickets", "t.csv", "--events", "ev.csv"]);
    assert_eq!(rows[0]["resolved"], "1");
    assert_num(&rows[0], "resolution_mean_hours", 3.0);
}

/// Status and role words with their accents written apart are the words written
/// whole: `re\u{301}solu` is the config's `résolu` (solved), `ope\u{301}rateur` its
/// `opérateur` (an agent), in any case of their ASCII letters (`RE\u{301}SOLU`). T1: the customer writes at 09:00, the agent answers at
/// 10:00 and resolves it at 11:00: first response 1 h, resolution 2 h.
#[test]
fn status_and_role_words_in_either_unicode_form_are_one_word() {
    let wd = Workdir::new();
    wd.write(
        "log.csv",
        "ticket_id,at,author_role,status\n\
T1,2025-03-03T09:00:00Z,client,new\n\
T1,2025-03-03T10:00:00Z,ope\u{301}rateur,open\n\
T1,2025-03-03T11:00:00Z,OPE\u{301}RATEUR,RE\u{301}SOLU\n"
            .as_bytes(),
    );
    wd.write(
        "c.toml",
        "[statuses]\n\"r\u{e9}solu\" = \"solved\"\n[roles]\n\"op\u{e9}rateur\" = \"agent\"\nclient = \"customer\"\n"
            .as_bytes(),
    );
    let (rows, err) = run_in(
        &wd,
        &["tickets", "--events", "log.csv", "--config", "c.toml"],
    );
    assert!(!err.contains("rejected"), "{err}");
    assert_num(&rows[0], "first_response_median_hours", 1.0);
    assert_num(&rows[0], "resolution_median_hours", 2.0);
}
