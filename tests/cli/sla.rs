//! SLA policies and the per-ticket view (SPEC §8), on a hand-made fixture whose
//! verdicts are worked out below.

use crate::common::{assert_num, csv_header, parse_csv, Workdir};

/// SPEC §8's schedule (Berlin, UTC+1 in January) and two policies: chat and phone
/// on a calendar clock, everything else in business hours by priority.
const CONFIG: &[u8] = br#"[schedules.support]
tz = "Europe/Berlin"
mon = ["09:00-17:00"]
tue = ["09:00-12:30", "13:30-17:00"]
wed = ["09:00-17:00"]
thu = ["09:00-17:00"]
fri = ["09:00-15:00"]

[sla_policies.chat]
first_response = { default = "10m" }
resolution = { default = "2h" }
where = { channel = ["Chat", "phone"] }

[sla_policies.standard]
schedule = "support"
first_response = { urgent = "1h", normal = "4h", default = "8h" }
resolution = { urgent = "8h", normal = "1d" }
"#;

/// `--now` 2025-01-20T12:00:00Z is Monday 13:00 in Berlin.
///
/// Chat policy (calendar):
/// - C1 reply after exactly 10 min, resolved after exactly 2 h: achieved, achieved.
/// - C2 reply after 10 min 1 s: breached; unresolved for 7 days: breached.
/// - C3 created an hour before now, no reply: breached (10 min passed); unresolved:
///   pending (2 h not passed).
///
/// Standard policy (business hours):
/// - S1 urgent, Fri 14:00 → reply Mon 10:00 local: 1 h + 1 h = 2 h > 1 h, breached;
///   resolved Mon 11:00: 3 h ≤ 8 h, achieved.
/// - S2 normal, Tue 12:00 → reply 14:00 over the lunch break: 1 h ≤ 4 h, achieved;
///   unresolved: Tue 4 h + Wed 8 + Thu 8 + Fri 6 + Mon 4 = 30 h > 1d (24 h): breached.
/// - S3 low (default 8 h), created Mon 11:00 local, no reply: 2 h, pending; no
///   resolution target for low and no default: not counted.
/// - S4 high: its reply time is unparseable, so not counted; no resolution target.
/// - S5 urgent, Wed 18:00 (closed) → reply Thu 09:00: 0 h, achieved (15 calendar
///   hours); resolved Thu 17:00: exactly 8 h, achieved.
const TICKETS: &[u8] =
    b"ticket_id,created_at,first_response_at,resolved_at,channel,priority,team\n\
C1,2025-01-13T10:00:00Z,2025-01-13T10:10:00Z,2025-01-13T12:00:00Z,chat,,a\n\
C2,2025-01-13T10:00:00Z,2025-01-13T10:10:01Z,,PHONE,urgent,a\n\
C3,2025-01-20T11:00:00Z,,,chat,low,b\n\
S1,2025-01-10T13:00:00Z,2025-01-13T09:00:00Z,2025-01-13T10:00:00Z,email,Urgent,a\n\
S2,2025-01-14T11:00:00Z,2025-01-14T13:00:00Z,,email,normal,b\n\
S3,2025-01-20T10:00:00Z,,,email,low,b\n\
S4,2025-01-15T10:00:00Z,soon,,email,high,b\n\
S5,2025-01-15T17:00:00Z,2025-01-16T08:00:00Z,2025-01-16T16:00:00Z,web,URGENT,a\n";

fn workdir() -> Workdir {
    let wd = Workdir::new();
    wd.write("sla.toml", CONFIG);
    wd.write("t.csv", TICKETS);
    wd
}

const NOW: &str = "2025-01-20T12:00:00Z";

#[test]
fn verdicts_per_group_from_the_first_policy_that_applies() {
    let wd = workdir();
    let rows = wd.csv_rows(&[
        "tickets",
        "t.csv",
        "--config",
        "sla.toml",
        "--sla-policy",
        "chat,standard",
        "--by",
        "team",
        "--now",
        NOW,
        "-q",
    ]);
    let (a, b) = (&rows[0], &rows[1]);
    assert_eq!((a["team"].as_str(), b["team"].as_str()), ("a", "b"));
    // a: C1 ✓ C2 ✗ S1 ✗ S5 ✓ to reply; C1 ✓ C2 ✗ S1 ✓ S5 ✓ to resolve.
    for (column, want) in [
        ("sla_first_response_achieved", 2.0),
        ("sla_first_response_breached", 2.0),
        ("sla_first_response_pending", 0.0),
        ("sla_first_response_pct", 50.0),
        ("sla_resolution_achieved", 3.0),
        ("sla_resolution_breached", 1.0),
        ("sla_resolution_pending", 0.0),
        ("sla_resolution_pct", 75.0),
    ] {
        assert_num(a, column, want);
    }
    // b: C3 ✗ S2 ✓ S3 pending (S4 not counted); C3 pending, S2 ✗.
    for (column, want) in [
        ("sla_first_response_achieved", 1.0),
        ("sla_first_response_breached", 1.0),
        ("sla_first_response_pending", 1.0),
        ("sla_first_response_pct", 50.0),
        ("sla_resolution_achieved", 0.0),
        ("sla_resolution_breached", 1.0),
        ("sla_resolution_pending", 1.0),
        ("sla_resolution_pct", 0.0),
    ] {
        assert_num(b, column, want);
    }
    // The single calendar target stays as it was: of a's four replies (10 min, 10 min
    // 1 s, 68 h, 15 h), two within 1 h.
    assert_num(a, "sla_pct", 50.0);
}

/// With policies, a page charts their attainment over the buckets, not the calendar
/// target's `sla_pct` (still in its table). Weeks: W02 holds S1 (reply breached,
/// resolution achieved); W03 C1, C2, S2, S4, S5 (replies 3 of 4 in time, S4 not
/// counted; resolutions C1 S5 achieved, C2 S2 breached); W04 C3 (reply breached,
/// resolution pending) and S3 (pending, no target).
#[test]
fn a_page_charts_the_policies_attainment() {
    let wd = workdir();
    let out = wd
        .cxm()
        .args(["tickets", "t.csv", "--config", "sla.toml", "--sla-policy"])
        .args([
            "chat,standard",
            "--sla",
            "1h",
            "--now",
            NOW,
            "--every",
            "week",
        ])
        .args(["--format", "html", "-q"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let page = String::from_utf8(out.stdout).unwrap();
    let titles: Vec<&str> = page
        .split("<title>")
        .skip(1)
        .filter_map(|t| t.split_once("</title>").map(|(t, _)| t))
        .collect();
    let points = |chart: &str| -> Vec<&str> {
        let at = titles.iter().position(|t| *t == chart);
        let at = at.unwrap_or_else(|| panic!("no chart {chart}: {titles:?}"));
        titles[at + 1..]
            .iter()
            .take_while(|t| t.starts_with("all: "))
            .copied()
            .collect()
    };
    assert_eq!(
        points("sla 1st response %"),
        [
            "all: 2025-W02: 0.00",
            "all: 2025-W03: 75.00",
            "all: 2025-W04: 0.00"
        ]
    );
    assert_eq!(
        points("sla resolution %"),
        ["all: 2025-W02: 100.00", "all: 2025-W03: 50.00"]
    );
    assert!(!titles.contains(&"sla %"), "{titles:?}");
    assert!(page.contains(">sla %</th>"), "the table keeps sla_pct");
}

#[test]
fn tickets_no_policy_applies_to_are_not_counted() {
    let wd = workdir();
    let rows = wd.csv_rows(&[
        "tickets",
        "t.csv",
        "--config",
        "sla.toml",
        "--sla-policy",
        "chat",
        "--by",
        "team",
        "--now",
        NOW,
        "-q",
    ]);
    let (a, b) = (&rows[0], &rows[1]);
    assert_num(a, "sla_first_response_achieved", 1.0);
    assert_num(a, "sla_first_response_breached", 1.0);
    assert_num(a, "sla_resolution_pct", 50.0);
    assert_num(b, "sla_first_response_breached", 1.0);
    assert_num(b, "sla_first_response_pct", 0.0);
    assert_num(b, "sla_resolution_pending", 1.0);
    // Nothing achieved or breached: no percentage.
    assert_eq!(b["sla_resolution_pct"], "");
}

#[test]
fn the_policy_columns_follow_sla_pct_and_report_carries_them() {
    let wd = workdir();
    let args = [
        "--config",
        "sla.toml",
        "--sla-policy",
        "chat,standard",
        "--now",
        NOW,
        "-q",
    ];
    let out = wd.csv_output(&[&["tickets", "t.csv"][..], &args].concat());
    let header = csv_header(&out).join(",");
    assert!(
        header.contains(
            "sla_pct,sla_first_response_achieved,sla_first_response_breached,\
             sla_first_response_pending,sla_first_response_pct,sla_resolution_achieved,\
             sla_resolution_breached,sla_resolution_pending,sla_resolution_pct,"
        ),
        "{header}"
    );
    // All eight tickets: 3 achieved (C1 S2 S5), 3 breached (C2 C3 S1) to reply;
    // 3 achieved (C1 S1 S5), 2 breached (C2 S2) to resolve.
    let tidy = wd.csv_rows(&[&["report", "--tickets", "t.csv"][..], &args].concat());
    let value = |metric: &str| {
        tidy.iter()
            .find(|r| r["metric"] == metric)
            .unwrap_or_else(|| panic!("no {metric} in the report"))
            .clone()
    };
    assert_num(&value("sla_first_response_pct"), "value", 50.0);
    assert_num(&value("sla_resolution_pct"), "value", 60.0);
    assert_num(&value("sla_resolution_pending"), "value", 1.0);
    // A saved report keeps its schedule and policies; an unknown name in one stops
    // any run that reads the file.
    let saved = [
        CONFIG,
        b"\n[reports.sla]\ntickets = \"t.csv\"\nschedule = \"support\"\nsla_policy = [\"chat\", \"standard\"]\n",
    ]
    .concat();
    wd.write("saved.toml", &saved);
    let tidy = wd.csv_rows(&[
        "report",
        "--config",
        "saved.toml",
        "sla",
        "--now",
        NOW,
        "-q",
    ]);
    let value = |metric: &str| tidy.iter().find(|r| r["metric"] == metric).cloned();
    assert_num(
        &value("sla_first_response_pct").unwrap_or_default(),
        "value",
        50.0,
    );
    // And the schedule's columns: business replies of C1 600 s, C2 601 s (Monday
    // 11:00 local), S1 7,200 s, S2 3,600 s and S5 0 s: a mean of 2,400.2 s.
    assert_num(
        &value("first_response_business_mean_hours").unwrap_or_default(),
        "value",
        2400.2 / 3600.0,
    );
    wd.write(
        "unknown.toml",
        &[
            CONFIG,
            b"\n[reports.sla]\ntickets = \"t.csv\"\nsla_policy = [\"gold\"]\n",
        ]
        .concat(),
    );
    let out = wd
        .cxm()
        .args(["report", "--config", "unknown.toml", "sla"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("reports.sla"));
}

#[test]
fn per_ticket_rows_reconcile_every_figure() {
    let wd = workdir();
    let args = [
        "tickets",
        "t.csv",
        "--config",
        "sla.toml",
        "--sla-policy",
        "chat,standard",
        "--schedule",
        "support",
        "--by",
        "team",
        "--per-ticket",
        "--time-unit",
        "minutes",
        "--tz",
        "America/New_York",
        "--now",
        NOW,
        "-q",
    ];
    let out = wd.csv_output(&args);
    assert_eq!(
        csv_header(&out),
        [
            "ticket_id",
            "team",
            "created_at",
            "first_response_minutes",
            "resolution_minutes",
            "first_response_business_minutes",
            "resolution_business_minutes",
            "sla_policy",
            "sla_first_response_target_minutes",
            "sla_first_response",
            "sla_resolution_target_minutes",
            "sla_resolution",
        ]
    );
    let rows = crate::common::parse_csv(&out);
    let ids: Vec<&str> = rows.iter().map(|r| r["ticket_id"].as_str()).collect();
    assert_eq!(ids, ["C1", "C2", "C3", "S1", "S2", "S3", "S4", "S5"]);
    let row = |id: &str| &rows[ids.iter().position(|i| *i == id).unwrap_or(0)];
    let cell = |id: &str, c: &str| row(id)[c].clone();
    // Created in UTC whatever --tz says.
    assert_eq!(cell("S1", "created_at"), "2025-01-10T13:00:00Z");
    assert_eq!(cell("C1", "sla_policy"), "chat");
    assert_eq!(cell("C2", "sla_policy"), "chat");
    assert_eq!(cell("S1", "sla_policy"), "standard");
    assert_num(row("C1"), "sla_first_response_target_minutes", 10.0);
    assert_num(row("S1"), "first_response_minutes", 68.0 * 60.0);
    assert_num(row("S1"), "first_response_business_minutes", 120.0);
    assert_num(row("S1"), "resolution_business_minutes", 180.0);
    assert_num(row("S1"), "sla_first_response_target_minutes", 60.0);
    assert_num(row("S2"), "sla_resolution_target_minutes", 24.0 * 60.0);
    assert_num(row("S5"), "resolution_business_minutes", 480.0);
    let verdicts: Vec<(String, String)> = ids
        .iter()
        .map(|id| (cell(id, "sla_first_response"), cell(id, "sla_resolution")))
        .collect();
    let want = [
        ("achieved", "achieved"),
        ("breached", "breached"),
        ("breached", "pending"),
        ("breached", "achieved"),
        ("achieved", "breached"),
        ("pending", ""),
        ("", ""),
        ("achieved", "achieved"),
    ];
    for (id, (got, want)) in ids.iter().zip(verdicts.iter().zip(want)) {
        assert_eq!((got.0.as_str(), got.1.as_str()), want, "{id}");
    }
    // No target: empty target; the unparseable reply: empty duration.
    assert_eq!(cell("S3", "sla_resolution_target_minutes"), "");
    assert_eq!(cell("S4", "first_response_minutes"), "");
    // Without --sla-policy or --schedule, only the durations.
    let plain = wd.csv_output(&[
        "tickets",
        "t.csv",
        "--per-ticket",
        "--time-unit",
        "hours",
        "-q",
    ]);
    assert_eq!(
        csv_header(&plain),
        [
            "ticket_id",
            "created_at",
            "first_response_hours",
            "resolution_hours"
        ]
    );
}

#[test]
fn unknown_policies_and_bad_ones_are_usage_errors() {
    let wd = workdir();
    let run = |args: &[&str]| wd.cxm().args(args).output().unwrap();
    let out = run(&[
        "tickets",
        "t.csv",
        "--config",
        "sla.toml",
        "--sla-policy",
        "gold",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("sla_policies.gold") && err.contains("chat, standard"),
        "{err}"
    );
    wd.write(
        "bad.toml",
        b"[sla_policies.p]\nschedule = \"nights\"\nfirst_response = { default = \"1h\" }\n",
    );
    let out = run(&["tickets", "t.csv", "--config", "bad.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("sla_policies.p.schedule"));
    wd.write(
        "where.toml",
        b"[sla_policies.p]\nfirst_response = { default = \"1h\" }\nwhere = { region = \"eu\" }\n",
    );
    let out = run(&[
        "tickets",
        "t.csv",
        "--config",
        "where.toml",
        "--sla-policy",
        "p",
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("sla_policies.p.where reads 'region'") && err.contains("headers found:"),
        "{err}"
    );
    // An empty --sla-policy (an unset variable) would drop the SLA figures silently.
    let out = run(&[
        "tickets",
        "t.csv",
        "--config",
        "sla.toml",
        "--sla-policy",
        "",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no policy named"));
    // A name left out between commas is a typo, not a shorter list.
    let out = run(&[
        "tickets",
        "t.csv",
        "--config",
        "sla.toml",
        "--sla-policy",
        "p,,p",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("an empty name in 'p,,p'"));
    // A policy named twice: the second could never apply.
    let out = run(&[
        "tickets",
        "t.csv",
        "--config",
        "sla.toml",
        "--sla-policy",
        "chat,chat",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("'chat' is named twice in 'chat,chat'"),
        "{err}"
    );
    // A name with a comma could never be given to --sla-policy.
    wd.write(
        "comma.toml",
        b"[sla_policies.\"x,y\"]\nfirst_response = { default = \"1h\" }\n",
    );
    let out = run(&["tickets", "t.csv", "--config", "comma.toml"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("sla_policies.\"x,y\"") && err.contains("comma"),
        "{err}"
    );
}

/// Three tickets with priorities P1, P2 and none. A policy `where = { priority =
/// [""] }` covers the one without (a missing value is the empty string, as for
/// --where): answered in 30 min against 1 h, achieved; the others are not counted.
/// A policy whose keys (urgent, high) are none of the data's priorities judges no
/// ticket at all: every count is 0, and a warning says why.
#[test]
fn blank_priorities_match_an_empty_where_and_unmatched_targets_warn() {
    let wd = Workdir::new();
    wd.write(
        "p.toml",
        b"[sla_policies.blank]\nfirst_response = { default = \"1h\" }\nwhere = { priority = [\"\"] }\n\n\
          [sla_policies.named]\nfirst_response = { urgent = \"1h\", high = \"4h\" }\n",
    );
    wd.write(
        "t.csv",
        b"ticket_id,created_at,first_response_at,priority\n\
          1,2025-01-13T10:00:00Z,2025-01-13T10:30:00Z,P1\n\
          2,2025-01-13T10:00:00Z,2025-01-13T12:30:00Z,P2\n\
          3,2025-01-13T10:00:00Z,2025-01-13T10:30:00Z,\n",
    );
    let run = |policy: &str| {
        let out = wd
            .cxm()
            .args([
                "tickets",
                "t.csv",
                "--config",
                "p.toml",
                "--sla-policy",
                policy,
            ])
            .args(["--now", NOW, "--format", "csv"])
            .output()
            .unwrap();
        assert!(out.status.success());
        let err = String::from_utf8_lossy(&out.stderr).to_string();
        (crate::common::parse_csv(&out.stdout), err)
    };
    let (rows, err) = run("blank");
    assert_num(&rows[0], "sla_first_response_achieved", 1.0);
    assert_num(&rows[0], "sla_first_response_breached", 0.0);
    assert!(!err.contains("no ticket was judged"), "{err}");
    let (rows, err) = run("named");
    for v in ["achieved", "breached", "pending"] {
        assert_num(&rows[0], &format!("sla_first_response_{v}"), 0.0);
    }
    assert!(
        err.contains("sla_first_response_*: no ticket was judged: none has a target"),
        "{err}"
    );
    // No policy has a `default`: priorities no key names are the reason given.
    assert!(!err.contains("or none has a time"), "{err}");
    // Every ticket has a target (a `default`), but none a time to judge: each first
    // response came before its ticket's creation. The warning says so, and does not
    // send the reader to the priorities.
    wd.write(
        "neg.csv",
        b"ticket_id,created_at,first_response_at,priority\n\
          1,2025-01-13T10:00:00Z,2025-01-13T09:30:00Z,P1\n",
    );
    wd.write(
        "d.toml",
        b"[sla_policies.d]\nfirst_response = { default = \"1h\" }\n",
    );
    // stderr of `tickets FILE --config CONFIG --sla-policy POLICIES`.
    let warned = |file: &str, config: &str, policies: &str| {
        let out = (wd.cxm())
            .args([
                "tickets",
                file,
                "--config",
                config,
                "--sla-policy",
                policies,
            ])
            .args(["--now", NOW, "--format", "csv"])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let err = warned("neg.csv", "d.toml", "d");
    assert!(
        err.contains(
            "no ticket was judged, though policy 'd' has a `default` target for every ticket"
        ),
        "{err}"
    );
    assert!(!err.contains("compare the data's priorities"), "{err}");
    // An earlier policy whose `where` holds takes the ticket without a target for
    // its priority: that is the reason, whatever the default of a later one.
    wd.write(
        "w.toml",
        b"[sla_policies.live]\nfirst_response = { urgent = \"1h\" }\nwhere = { channel = [\"chat\"] }\n\n\
          [sla_policies.std]\nfirst_response = { default = \"8h\" }\n",
    );
    wd.write(
        "chat.csv",
        b"ticket_id,created_at,first_response_at,priority,channel\n\
          1,2025-01-13T10:00:00Z,2025-01-13T10:30:00Z,low,chat\n",
    );
    let err = warned("chat.csv", "w.toml", "live,std");
    assert!(err.contains("none has a target for its priority"), "{err}");
    // Nor can it tell, where that earlier policy's `where` holds for none (the
    // ticket is `std`'s, with a target, and its time is what was not judged): both
    // reasons are given.
    wd.write(
        "email.csv",
        b"ticket_id,created_at,first_response_at,priority,channel\n\
          1,2025-01-13T10:00:00Z,2025-01-13T09:00:00Z,low,email\n",
    );
    let err = warned("email.csv", "w.toml", "live,std");
    assert!(
        err.contains("or none has a time it can be judged by"),
        "{err}"
    );
}

#[test]
fn targets_by_priority_without_a_priority_column_warn() {
    let wd = workdir();
    wd.write(
        "np.csv",
        b"ticket_id,created_at,first_response_at\nX,2025-01-13T09:00:00Z,2025-01-13T09:30:00Z\n",
    );
    let out = wd
        .cxm()
        .args([
            "tickets",
            "np.csv",
            "--config",
            "sla.toml",
            "--sla-policy",
            "standard",
        ])
        .args(["--now", NOW, "--format", "csv"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no priority field"), "{err}");
    assert!(err.contains("sla_resolution_*"), "{err}");
    // The default 8 h applies: 30 business minutes, achieved.
    let rows = crate::common::parse_csv(&out.stdout);
    assert_num(&rows[0], "sla_first_response_achieved", 1.0);
}

/// Zendesk's own business minutes, ticket by ticket, on a real export (16,476
/// tickets, India): with 09:00–21:00 every day, cxm's `resolution_business_minutes`
/// equals Zendesk's "Full resolution time in minutes within business hours" within a
/// minute (Zendesk rounds to whole minutes) for every solved ticket, except 232
/// whose span covers 19–22 May 2023, when Zendesk counted fewer hours (by whole
/// multiples of 3 h: a schedule change cxm's one schedule cannot know about).
#[test]
fn zendesk_business_minutes_reconcile_ticket_by_ticket() {
    use std::io::Read;
    let export = crate::common::fixture("real/zendesk_plum_2023.csv.gz");
    let config = crate::common::fixture("real/zendesk_plum.toml");
    let wd = Workdir::new();
    let out = wd.csv_output(&[
        "tickets",
        &export,
        "--config",
        &config,
        "--schedule",
        "plum",
        "--per-ticket",
        "--time-unit",
        "minutes",
        "-q",
    ]);
    let ours = crate::common::parse_csv(&out);
    assert_eq!(ours.len(), 16_476);
    let mut text = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(&export).unwrap())
        .read_to_string(&mut text)
        .unwrap();
    let theirs: std::collections::HashMap<String, (String, String)> =
        crate::common::parse_csv(text.as_bytes())
            .into_iter()
            .map(|r| {
                let id = r["Id"].clone();
                let solved = r["Solved at"].clone();
                let minutes = r["Full resolution time in minutes within business hours"].clone();
                (id, (solved, minutes))
            })
            .collect();
    let (mut compared, mut matched, mut late_may) = (0, 0, 0);
    for row in &ours {
        let (solved, minutes) = &theirs[&row["ticket_id"]];
        let (Ok(zendesk), Ok(cxm)) = (
            minutes.parse::<f64>(),
            row["resolution_business_minutes"].parse::<f64>(),
        ) else {
            continue;
        };
        compared += 1;
        if (zendesk - cxm).abs() <= 1.0 {
            matched += 1;
            continue;
        }
        // `Solved at` is DD-MM-YYYY HH:MM.
        let day = &solved[..10];
        assert!(
            ["19-05-2023", "20-05-2023", "21-05-2023", "22-05-2023"].contains(&day),
            "ticket {}: cxm {cxm} vs Zendesk {zendesk} business minutes (solved {solved})",
            row["ticket_id"]
        );
        late_may += 1;
    }
    assert_eq!((compared, matched, late_may), (14_409, 14_177, 232));
}

/// A ticket time outside 1900–2099 is misread (here epoch milliseconds read as
/// seconds: year 56972): it is rejected as unparseable, counted and located, not
/// turned into a duration of millennia whose business hours take minutes to count.
#[test]
fn implausible_ticket_times_are_rejected_not_counted_for_ever() {
    let wd = workdir();
    wd.write(
        "epoch.csv",
        b"ticket_id,created_at,first_response_at,resolved_at\n\
A,1735718400,1735722000,1735725600\n\
B,1735718400000,1735718403600,\n",
    );
    let started = std::time::Instant::now();
    let out = wd
        .cxm()
        .args([
            "tickets",
            "epoch.csv",
            "--date-format",
            "%s",
            "--config",
            "sla.toml",
        ])
        .args(["--schedule", "support", "--per-ticket", "--format", "csv"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    // A: 2025-01-01 (a Wednesday, not a holiday of this schedule) 08:00Z = 09:00
    // local, reply at 10:00 local: one business hour; B is rejected.
    one_hour_and_a_rejected_time(&out, "epoch.csv:3", "A");
}

/// One ticket left, `id`, replied in one business hour; the other's time rejected as
/// unparseable `at` a line.
fn one_hour_and_a_rejected_time(out: &std::process::Output, at: &str, id: &str) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(at) && err.contains("unparseable timestamp"),
        "{err}"
    );
    let rows = crate::common::parse_csv(&out.stdout);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["ticket_id"], id);
    assert_num(&rows[0], "first_response_business_hours", 1.0);
}

/// The zone database knows daylight-saving time up to 2099 only: a ticket from 2100
/// on is rejected rather than counted an hour off.
#[test]
fn ticket_times_past_the_zone_rules_are_rejected() {
    let wd = Workdir::new();
    wd.write(
        "ny.toml",
        b"[schedules.ny]\ntz = \"America/New_York\"\nmon = [\"09:00-17:00\"]\n",
    );
    wd.write(
        "t.csv",
        b"ticket_id,created_at,first_response_at\n\
Y2099,2099-07-06T13:00:00Z,2099-07-06T14:00:00Z\n\
Y2100,2100-07-05T13:00:00Z,2100-07-05T14:00:00Z\n",
    );
    let out = wd
        .cxm()
        .args([
            "tickets",
            "t.csv",
            "--config",
            "ny.toml",
            "--schedule",
            "ny",
        ])
        .args(["--per-ticket", "--format", "csv"])
        .output()
        .unwrap();
    assert!(out.status.success());
    // 2099-07-06 is a Monday in New York's daylight time (UTC−4): 13:00Z is 09:00
    // local, so the reply an hour later took one business hour.
    one_hour_and_a_rejected_time(&out, "t.csv:3", "Y2099");
}

/// A business-hours policy over an export of vendor durations only: the warning says
/// why no ticket is judged (no timestamps), and no second warning blames the
/// priorities, which have a `default` target.
#[test]
fn durations_only_under_a_business_policy_are_explained_once() {
    let wd = Workdir::new();
    wd.write(
        "biz.toml",
        b"[schedules.wk]\ntz = \"UTC\"\nmon = [\"09:00-17:00\"]\n\n\
[sla_policies.biz]\nschedule = \"wk\"\nfirst_response = { default = \"1h\" }\nresolution = { default = \"1d\" }\n",
    );
    let out = wd
        .cxm()
        .args([
            "tickets",
            &crate::common::fixture("tickets/zendesk_minutes.csv"),
        ])
        .args(["--config", "biz.toml", "--sla-policy", "biz"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    for metric in ["first_response", "resolution"] {
        assert!(
            err.contains(&format!(
                "sla_{metric}_*: a business-hours policy needs timestamps"
            )),
            "{err}"
        );
    }
    assert!(!err.contains("no ticket was judged"), "{err}");
}

/// Vendor durations beside an event log under a business-hours policy: the tickets the
/// log times are judged, and only those it does not are said to be left out (the
/// warning fired whenever the files' durations were a vendor's, even with every
/// ticket judged).
#[test]
fn a_business_policy_beside_a_log_warns_of_the_tickets_it_does_not_time() {
    let wd = Workdir::new();
    wd.write(
        "biz.toml",
        b"[schedules.wk]\ntz = \"UTC\"\nmon = [\"09:00-17:00\"]\n\n\
[sla_policies.biz]\nschedule = \"wk\"\nfirst_response = { default = \"1h\" }\nresolution = { default = \"1d\" }\n",
    );
    // Monday 2025-03-03; D3's vendor durations: no reply, resolved in 600 minutes.
    wd.write(
        "t.csv",
        b"ID,Created at,First reply time in minutes,Full resolution time in minutes\n\
D1,2025-03-03 10:00:00,30,120\nD2,2025-03-03 11:00:00,90,\nD3,2025-03-03 12:00:00,,600\n",
    );
    let two = "ticket_id,at,author_role,public,status\n\
D1,2025-03-03T10:00:00Z,end-user,true,new\nD1,2025-03-03T10:30:00Z,agent,true,solved\n\
D2,2025-03-03T11:00:00Z,end-user,true,new\nD2,2025-03-03T12:30:00Z,agent,true,solved\n";
    wd.write("two.csv", two.as_bytes());
    let three = format!(
        "{two}D3,2025-03-03T12:00:00Z,end-user,true,new\nD3,2025-03-03T12:10:00Z,agent,true,solved\n"
    );
    wd.write("three.csv", three.as_bytes());
    let run = |log: &str, until: &str| {
        let mut args = vec!["tickets", "t.csv", "--events", log, "--config", "biz.toml"];
        args.extend(["--sla-policy", "biz", "--now", "2025-04-01T00:00:00Z"]);
        if !until.is_empty() {
            args.extend(["--until", until]);
        }
        let (out, err) = wd.csv_and_stderr(&args);
        (parse_csv(&out).remove(0), err)
    };
    // D1 replied in 30 business minutes (achieved), D2 in 90 (breached); both
    // resolved within a business day. D3 is not judged, and said to be.
    let (row, err) = run("two.csv", "");
    for (column, want) in [
        ("sla_first_response_achieved", 1.0),
        ("sla_first_response_breached", 1.0),
        ("sla_resolution_achieved", 2.0),
        ("sla_resolution_breached", 0.0),
    ] {
        assert_num(&row, column, want);
    }
    for (metric, column) in [
        ("first_response", "first_response_minutes"),
        ("resolution", "resolution_minutes"),
    ] {
        assert!(
            err.contains(&format!(
                "sla_{metric}_*: 1 ticket the event log gives no time for (the ticket files give at most {column},"
            )),
            "{err}"
        );
    }
    // The log times D3 too (10 minutes): all judged, nothing said.
    let (row, err) = run("three.csv", "");
    assert_num(&row, "sla_first_response_achieved", 2.0);
    assert_num(&row, "sla_resolution_achieved", 3.0);
    assert!(!err.contains("needs timestamps"), "{err}");
    // A window holding only the tickets the log times: nothing said either.
    let (row, err) = run("two.csv", "2025-03-03T11:30:00Z");
    assert_num(&row, "tickets", 2.0);
    assert!(!err.contains("needs timestamps"), "{err}");
}

/// Only the untimed tickets whose policy counts business hours are said to be left
/// out: D2 (chat) falls under the calendar policy and is judged on its vendor
/// duration (20 min, achieved); D3 (email, the log does not time it) under the
/// business one is not judged. Without D3, nothing is said. Compared with the week
/// before, the count is of the window's tickets alone (P1 is the week before's).
#[test]
fn the_untimed_tickets_warned_of_are_those_a_business_policy_would_judge() {
    let wd = Workdir::new();
    wd.write(
        "s.toml",
        b"[schedules.wk]\ntz = \"UTC\"\nmon = [\"09:00-17:00\"]\n\n\
[sla_policies.bizmail]\nschedule = \"wk\"\nfirst_response = { default = \"1h\" }\nwhere = { channel = [\"email\"] }\n\n\
[sla_policies.cal]\nfirst_response = { default = \"1h\" }\n",
    );
    let tickets = "ID,Created at,Channel,First reply time in minutes\n\
P1,2025-02-24 10:00:00,email,30\nD1,2025-03-03 10:00:00,email,30\nD2,2025-03-03 11:00:00,chat,20\n";
    wd.write("two.csv", tickets.as_bytes());
    wd.write(
        "three.csv",
        format!("{tickets}D3,2025-03-03 11:00:00,email,20\n").as_bytes(),
    );
    wd.write(
        "log.csv",
        b"ticket_id,at,author_role,public\nD1,2025-03-03T10:00:00Z,end-user,true\nD1,2025-03-03T10:30:00Z,agent,true\n",
    );
    let run = |file: &str, extra: &[&str]| {
        let mut args = vec!["tickets", file, "--events", "log.csv", "--config", "s.toml"];
        args.extend([
            "--sla-policy",
            "bizmail,cal",
            "--now",
            "2025-04-01T00:00:00Z",
        ]);
        args.extend(["--since", "2025-03-03", "--until", "2025-03-10"]);
        args.extend(extra);
        wd.csv_and_stderr(&args)
    };
    let (out, err) = run("three.csv", &[]);
    // D1 (30 min from the log) and D2 (20 min) achieved; D3 not judged.
    assert_num(&parse_csv(&out)[0], "sla_first_response_achieved", 2.0);
    assert!(
        err.contains(
            "sla_first_response_*: 1 ticket the event log gives no time for (the ticket files"
        ),
        "{err}"
    );
    let (out, err) = run("two.csv", &[]);
    assert_num(&parse_csv(&out)[0], "sla_first_response_achieved", 2.0);
    assert!(!err.contains("needs timestamps"), "{err}");
    // P1, the week before's, is not the window's: nothing said beside --compare.
    let mut args = vec!["report", "--tickets", "two.csv", "--events", "log.csv"];
    args.extend(["--config", "s.toml", "--sla-policy", "bizmail,cal"]);
    args.extend(["--now", "2025-04-01T00:00:00Z", "--since", "2025-03-03"]);
    args.extend(["--until", "2025-03-10", "--compare", "previous"]);
    let (_, err) = wd.csv_and_stderr(&args);
    assert!(!err.contains("needs timestamps"), "{err}");
}

#[test]
fn per_ticket_column_clashes_and_absurd_targets_are_usage_errors() {
    let wd = workdir();
    let run = |args: &[&str]| wd.cxm().args(args).output().unwrap();
    let out = run(&[
        "tickets",
        "t.csv",
        "--config",
        "sla.toml",
        "--sla-policy",
        "chat",
        "--per-ticket",
        "--by",
        "priority,priority",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("twice"));
    wd.write(
        "clash.csv",
        b"ticket_id,created_at,sla_policy\nX,2025-01-13T10:00:00Z,a\n",
    );
    let out = run(&[
        "tickets",
        "clash.csv",
        "--config",
        "sla.toml",
        "--sla-policy",
        "chat",
        "--per-ticket",
        "--by",
        "sla_policy",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let huge = format!(
        "[sla_policies.p]\nfirst_response = {{ default = \"1{}d\" }}\n",
        "0".repeat(304)
    );
    wd.write("huge.toml", huge.as_bytes());
    let out = run(&["tickets", "t.csv", "--config", "huge.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("sla_policies.p.first_response"));
    // The per-ticket table has no column for the single target: refused, not passed
    // over (the config file's `sla`, a default for grouped runs, is).
    let out = run(&["tickets", "t.csv", "--per-ticket", "--sla", "5m"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--per-ticket: --sla does not apply"));
    wd.write("one.toml", b"sla = \"5m\"\n");
    let out = run(&["tickets", "t.csv", "--per-ticket", "--config", "one.toml"]);
    assert!(out.status.success(), "{out:?}");
}

/// Freshdesk's `First response time (in hrs)` is written `HH:MM:SS`; mapped, it reads
/// as a clock duration: ticket 1 `00:20:00` is a third of an hour, ticket 2
/// `01:00:00` an hour.
#[test]
fn clock_durations_read_when_mapped() {
    let rows = crate::common::csv_rows(&[
        "tickets",
        &crate::common::fixture("presets/freshdesk.csv"),
        "--map",
        "first_response_hours=First response time (in hrs)",
        "--per-ticket",
        "-q",
    ]);
    assert_num(&rows[0], "first_response_hours", 1.0 / 3.0);
    assert_num(&rows[1], "first_response_hours", 1.0);
}

/// Names in `--sla-policy` may carry spaces; `where` values may be numbers.
#[test]
fn policy_names_are_trimmed_and_where_takes_numbers() {
    let wd = workdir();
    wd.write(
        "tier.toml",
        b"[sla_policies.gold]\nfirst_response = { default = \"1h\" }\nwhere = { tier = [1, 2] }\n",
    );
    wd.write(
        "tier.csv",
        b"ticket_id,created_at,first_response_at,tier\n\
A,2025-01-13T10:00:00Z,2025-01-13T10:30:00Z,1\n\
B,2025-01-13T10:00:00Z,2025-01-13T12:00:00Z,2\n\
C,2025-01-13T10:00:00Z,2025-01-13T10:30:00Z,3\n",
    );
    let rows = wd.csv_rows(&[
        "tickets",
        "tier.csv",
        "--config",
        "tier.toml",
        "--sla-policy",
        " gold ,",
        "-q",
    ]);
    // A achieved, B breached, C (tier 3) under no policy.
    assert_num(&rows[0], "sla_first_response_achieved", 1.0);
    assert_num(&rows[0], "sla_first_response_breached", 1.0);
    let out = wd
        .cxm()
        .args(["tickets", "tier.csv", "--schedule", "office"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("give --config FILE"));
}

/// A `where` key matches its raw column in any case, as `--by` does: `region` reads
/// the header `Region` (A in EU: replied in 30 min, achieved; B in US: under no
/// policy).
#[test]
fn where_matches_a_raw_column_in_any_case() {
    let wd = workdir();
    wd.write(
        "eu.toml",
        b"[sla_policies.eu]\nfirst_response = { default = \"1h\" }\nwhere = { region = [\"eu\"] }\n",
    );
    wd.write(
        "eu.csv",
        b"ticket_id,created_at,first_response_at,Region\n\
A,2025-01-13T10:00:00Z,2025-01-13T10:30:00Z,EU\n\
B,2025-01-13T10:00:00Z,2025-01-13T12:00:00Z,US\n",
    );
    let rows = wd.csv_rows(&[
        "tickets",
        "eu.csv",
        "--config",
        "eu.toml",
        "--sla-policy",
        "eu",
        "--now",
        "2025-01-14T00:00:00Z",
        "-q",
    ]);
    assert_num(&rows[0], "sla_first_response_achieved", 1.0);
    assert_num(&rows[0], "sla_first_response_breached", 0.0);
}

/// A `where` on a field the metrics also read (`agent_replies`: first contact and
/// replies per resolution) judges by it and still counts it: A (1 reply, in 30 min)
/// achieved, B (1 reply, in 2 h) breached, C (3 replies) and D (`N/A`, a missing
/// value) under no policy. Quoted cells and a blank line go through the other reader:
/// the same verdicts. FCR: A and B resolved with one reply of the three resolved.
#[test]
fn where_on_a_metric_field_judges_by_it_and_counts_it() {
    let wd = workdir();
    wd.write(
        "one.toml",
        b"[sla_policies.one]\nfirst_response = { default = \"1h\" }\nwhere = { agent_replies = [\"1\"] }\n",
    );
    let rows = "A,2025-01-13T10:00:00Z,2025-01-13T10:30:00Z,2025-01-13T11:00:00Z,1\n\
B,2025-01-13T10:00:00Z,2025-01-13T12:00:00Z,2025-01-13T13:00:00Z,1\n\
C,2025-01-13T10:00:00Z,2025-01-13T10:30:00Z,2025-01-13T13:00:00Z,3\n\
D,2025-01-13T10:00:00Z,2025-01-13T10:30:00Z,,N/A\n";
    let header = "ticket_id,created_at,first_response_at,resolved_at,agent_replies\n";
    wd.write("plain.csv", format!("{header}{rows}").as_bytes());
    let quoted = rows.replace(",1\n", ",\"1\"\n");
    wd.write("quoted.csv", format!("{header}{quoted}\n").as_bytes());
    for file in ["plain.csv", "quoted.csv"] {
        let rows = wd.csv_rows(&[
            "tickets",
            file,
            "--config",
            "one.toml",
            "--sla-policy",
            "one",
            "--now",
            "2025-01-14T00:00:00Z",
            "-q",
        ]);
        assert_num(&rows[0], "sla_first_response_achieved", 1.0);
        assert_num(&rows[0], "sla_first_response_breached", 1.0);
        assert_num(&rows[0], "sla_first_response_pending", 0.0);
        assert_num(&rows[0], "tickets", 4.0);
        assert_num(&rows[0], "fcr_pct", 100.0 * 2.0 / 3.0);
    }
}

/// Ticket files without times and an event log that gives them: no warning that the
/// tickets have no time for a policy's metric.
#[test]
fn no_missing_time_warning_when_the_event_log_gives_the_times() {
    let wd = workdir();
    wd.write(
        "p.toml",
        b"[sla_policies.p]\nfirst_response = { default = \"8h\" }\nresolution = { default = \"8h\" }\n",
    );
    let out = wd
        .cxm()
        .args(["tickets", &crate::common::fixture("events/tickets.csv")])
        .args(["--events", &crate::common::fixture("events/events.csv")])
        .args(["--config", "p.toml", "--sla-policy", "p"])
        .args(["--now", "2025-01-06T18:00:00Z", "--format", "csv"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(!err.contains("no time for it"), "{err}");
    let rows = crate::common::parse_csv(&out.stdout);
    assert!(
        rows[0]["sla_first_response_achieved"]
            .parse::<f64>()
            .unwrap()
            > 0.0
    );
}

/// A `""` key in a policy's targets is the blank priority's, as `""` in `where` is:
/// ticket 3 (no priority) gets its 10 minutes and, answered in 30, is breached;
/// ticket 4 (high, named by no key) gets the default hour and is achieved.
#[test]
fn a_blank_priority_key_is_the_blank_prioritys() {
    let wd = Workdir::new();
    wd.write(
        "nb.toml",
        b"[sla_policies.n]\nfirst_response = { \"\" = \"10m\", default = \"1h\" }\n",
    );
    wd.write(
        "nb.csv",
        b"ticket_id,created_at,first_response_at,priority\n\
          3,2025-03-03T08:00:00Z,2025-03-03T08:30:00Z,\n\
          4,2025-03-03T08:00:00Z,2025-03-03T08:30:00Z,high\n",
    );
    let out = wd
        .cxm()
        .args([
            "tickets",
            "nb.csv",
            "--config",
            "nb.toml",
            "--sla-policy",
            "n",
        ])
        .args([
            "--per-ticket",
            "--time-unit",
            "minutes",
            "--now",
            "2025-03-10T00:00:00Z",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let rows = crate::common::parse_csv(&out.stdout);
    assert_num(&rows[0], "sla_first_response_target_minutes", 10.0);
    assert_eq!(rows[0]["sla_first_response"], "breached");
    assert_num(&rows[1], "sla_first_response_target_minutes", 60.0);
    assert_eq!(rows[1]["sla_first_response"], "achieved");
}

/// Without any resolution time, how many tickets met a resolution target is not
/// known: its counts are empty, as `resolved` and `open` are, not 0; the first
/// response's are counted (by hand: A replied in 30 min, within 1h; B in 2h, past it).
#[test]
fn verdict_counts_without_any_time_are_empty_not_zero() {
    let wd = Workdir::new();
    wd.write(
        "p.toml",
        b"[sla_policies.r]\nfirst_response = { default = \"1h\" }\nresolution = { default = \"1h\" }\n",
    );
    wd.write(
        "t.csv",
        b"ticket_id,created_at,first_response_at\nA,2025-06-02T09:00:00Z,2025-06-02T09:30:00Z\nB,2025-06-02T10:00:00Z,2025-06-02T12:00:00Z\n",
    );
    let out = wd
        .cxm()
        .args([
            "tickets",
            "t.csv",
            "--config",
            "p.toml",
            "--sla-policy",
            "r",
        ])
        .args(["--now", "2025-07-01T00:00:00Z", "--format", "csv"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let rows = crate::common::parse_csv(&out.stdout);
    let row = &rows[0];
    for column in [
        "resolved",
        "open",
        "sla_resolution_achieved",
        "sla_resolution_breached",
        "sla_resolution_pending",
        "sla_resolution_pct",
    ] {
        assert_eq!(row[column], "", "{column}");
    }
    assert_eq!(row["sla_first_response_achieved"], "1");
    assert_eq!(row["sla_first_response_breached"], "1");
    assert_eq!(row["sla_first_response_pending"], "0");
    assert_eq!(row["sla_first_response_pct"], "50");
}

/// An event log without roles tells no replies: the first-response and next-reply
/// verdict counts are empty, and the warnings say why (not that no priority has a
/// target). Its statuses judge resolution, by hand: T1 solved 3 h 10 min after its
/// creation, within a day; T2 still open a month later, past it.
#[test]
fn a_log_without_roles_judges_no_reply() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket_id,created_at\nT1,2025-01-06T08:50:00Z\nT2,2025-01-06T10:00:00Z\n",
    );
    wd.write(
        "ev.csv",
        b"ticket_id,at,status\nT1,2025-01-06T09:00:00Z,new\nT1,2025-01-06T12:00:00Z,solved\nT2,2025-01-06T11:00:00Z,open\n",
    );
    wd.write(
        "p.toml",
        b"[sla_policies.std]\nfirst_response = { default = \"1h\" }\nresolution = { default = \"1d\" }\nnext_reply = { default = \"1h\" }\n",
    );
    let out = wd
        .cxm()
        .args([
            "tickets", "t.csv", "--events", "ev.csv", "--config", "p.toml",
        ])
        .args([
            "--sla-policy",
            "std",
            "--now",
            "2025-02-01T00:00:00Z",
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    let rows = crate::common::parse_csv(&out.stdout);
    for metric in ["first_response", "next_reply"] {
        for verdict in ["achieved", "breached", "pending", "pct"] {
            assert_eq!(
                rows[0][&format!("sla_{metric}_{verdict}")],
                "",
                "{metric} {verdict}"
            );
        }
    }
    let resolution: Vec<&str> = ["achieved", "breached", "pending"]
        .iter()
        .map(|v| rows[0][&format!("sla_resolution_{v}")].as_str())
        .collect();
    assert_eq!(resolution, ["1", "1", "0"]);
    assert!(
        err.contains("sla_next_reply_*: the event log has no roles, so no reply is known"),
        "{err}"
    );
    assert!(
        err.contains("sla_first_response_*: the data has no time for it"),
        "{err}"
    );
    assert!(!err.contains("none has a target"), "{err}");
    // Listed ticket by ticket, the same words.
    let out = wd
        .cxm()
        .args([
            "tickets", "t.csv", "--events", "ev.csv", "--config", "p.toml",
        ])
        .args([
            "--sla-policy",
            "std",
            "--now",
            "2025-02-01T00:00:00Z",
            "--per-ticket",
        ])
        .args(["--format", "csv"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("sla_next_reply_*: the event log has no roles"),
        "{err}"
    );
    assert!(
        err.contains("sla_first_response_*: the data has no time for it"),
        "{err}"
    );
    assert!(!err.contains("none has a target"), "{err}");
}

/// By group, a group whose tickets have no reply run (team b: T2 is opened by the
/// customer and never answered again) has next-reply verdict counts of 0, as a
/// group with runs and none judged, not empty: by hand, T1's customer message at
/// 10:00 answered at 10:30 is within 1h (achieved).
#[test]
fn a_group_without_reply_runs_counts_zero_verdicts() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket_id,created_at,team\nT1,2025-01-06T09:00:00Z,a\nT2,2025-01-06T09:00:00Z,b\n",
    );
    wd.write(
        "ev.csv",
        b"ticket_id,at,author_role,public,status\n\
T1,2025-01-06T09:00:00Z,end-user,true,new\n\
T1,2025-01-06T09:20:00Z,agent,true,open\n\
T1,2025-01-06T10:00:00Z,end-user,true,\n\
T1,2025-01-06T10:30:00Z,agent,true,solved\n\
T2,2025-01-06T09:00:00Z,end-user,true,new\n",
    );
    wd.write(
        "p.toml",
        b"[sla_policies.std]\nnext_reply = { default = \"1h\" }\n",
    );
    let rows = wd.csv_rows(&[
        "tickets",
        "t.csv",
        "--events",
        "ev.csv",
        "--config",
        "p.toml",
        "--sla-policy",
        "std",
        "--by",
        "team",
        "--now",
        "2025-02-01T00:00:00Z",
        "-q",
    ]);
    let counts = |team: &str| -> Vec<String> {
        let row = rows.iter().find(|r| r["team"] == team).unwrap();
        ["achieved", "breached", "pending"]
            .iter()
            .map(|v| row[&format!("sla_next_reply_{v}")].clone())
            .collect()
    };
    assert_eq!(counts("a"), ["1", "0", "0"]);
    assert_eq!(counts("b"), ["0", "0", "0"]);
}

/// An event log whose role column is blank throughout tells no replies, though it has
/// the column: it is read as a log without roles, and said. The ticket file's own first
/// response stands (not every ticket read as unanswered); alone, the log's first
/// responses are not known.
#[test]
fn a_log_of_blank_roles_is_said() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket_id,created_at,first_response_at\nT1,2025-01-06T08:50:00Z,2025-01-06T09:20:00Z\n",
    );
    wd.write(
        "ev.csv",
        b"ticket_id,at,author_role,status\nT1,2025-01-06T09:00:00Z,,new\nT1,2025-01-06T12:00:00Z,,solved\n",
    );
    let out = wd
        .cxm()
        .args(["tickets", "t.csv", "--events", "ev.csv", "--format", "csv"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("the event log's 'author_role' column is blank throughout")
            && err.contains("read as a log without roles"),
        "{err}"
    );
    let rows = parse_csv(&out.stdout);
    let cell = |name: &str| rows[0][name].clone();
    // 08:50 to 09:20 in the ticket file; solved at 12:00 in the log.
    assert_eq!(cell("responded"), "1");
    assert_eq!(cell("first_response_median_hours"), "0.5");
    assert_eq!(cell("resolution_median_hours"), "3.1667");
    // The log alone: no first response known, so none counted, none missed.
    let out = wd
        .cxm()
        .args(["tickets", "--events", "ev.csv", "--format", "csv"])
        .output()
        .unwrap();
    let rows = parse_csv(&out.stdout);
    let cell = |name: &str| rows[0][name].clone();
    assert_eq!(cell("first_response_median_hours"), "");
    assert_eq!(cell("fcr_pct"), "");
    assert_eq!(cell("resolution_median_hours"), "3");
    // Roles written but none known are rejected, and said so: not blank.
    wd.write(
        "martian.csv",
        b"ticket_id,at,author_role\nT1,2025-01-06T09:00:00Z,martian\nT1,2025-01-06T09:30:00Z,venusian\n",
    );
    let out = wd
        .cxm()
        .args([
            "tickets",
            "t.csv",
            "--events",
            "martian.csv",
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("2 rejected: unknown author role"), "{err}");
    assert!(!err.contains("blank throughout"), "{err}");
}

/// Two logs, one of them with its role column blank throughout: its tickets keep the
/// ticket file's first responses, which is said, naming it (given alone, it is a log
/// without roles). T1 answered after 20 min in log a; T2 after 30 min in the file.
#[test]
fn a_roleless_log_beside_one_with_roles_is_said() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket_id,created_at,first_response_at\nT1,2025-01-06T09:00:00Z,\nT2,2025-01-06T09:00:00Z,2025-01-06T09:30:00Z\n",
    );
    wd.write(
        "a.csv",
        b"ticket_id,at,author_role,status\nT1,2025-01-06T09:00:00Z,customer,\nT1,2025-01-06T09:20:00Z,agent,\n",
    );
    wd.write(
        "b.csv",
        b"ticket_id,at,author_role,status\nT2,2025-01-06T09:10:00Z,,open\nT2,2025-01-06T10:00:00Z,,solved\n",
    );
    let (out, err) =
        wd.csv_and_stderr(&["tickets", "t.csv", "--events", "a.csv", "--events", "b.csv"]);
    let rows = parse_csv(&out);
    assert_eq!(rows[0]["responded"], "2", "{err}");
    assert_num(&rows[0], "first_response_mean_hours", 25.0 / 60.0);
    assert!(
        err.contains("--events b.csv: its role column is blank throughout, beside logs with roles: its tickets keep the ticket files' first responses")
            && !err.contains("a.csv: its role column"),
        "{err}"
    );
}

/// Targets and durations meet to the millisecond: `--sla 4.1m` is 246 s (not 4.1 × 60
/// = 245.99999999999997 s), met by a reply after 246 s and not by one after 247 s;
/// replies 2.3 s after creation meet `--sla 2.3s` however many there are; a policy's
/// `4.1m` and `4.1h` are met at 246 s and 14,760 s exactly. A config's `sla = 4` is
/// 4 hours, as `--sla 4`.
#[test]
fn decimal_targets_are_met_on_the_millisecond() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket_id,created_at,first_response_at,resolved_at\n1,2025-03-01T10:00:00Z,2025-03-01T10:04:06Z,2025-03-01T14:06:00Z\n2,2025-03-01T10:00:00Z,2025-03-01T10:04:07Z,2025-03-01T14:06:01Z\n",
    );
    let (out, err) = wd.csv_and_stderr(&["tickets", "t.csv", "--sla", "4.1m"]);
    assert_num(&parse_csv(&out)[0], "sla_pct", 50.0);
    assert!(err.is_empty(), "{err}");
    wd.write(
        "fast.csv",
        b"ticket_id,created_at,first_response_at\n1,2025-03-01T10:00:00Z,2025-03-01T10:00:02.300Z\n2,2025-03-01T10:00:00Z,2025-03-01T10:00:02.300Z\n3,2025-03-01T10:00:00Z,2025-03-01T10:00:02.301Z\n",
    );
    let (out, _) = wd.csv_and_stderr(&["tickets", "fast.csv", "--sla", "2.3s"]);
    assert_num(&parse_csv(&out)[0], "sla_pct", 200.0 / 3.0);
    wd.write(
        "p.toml",
        b"sla = 4\n[sla_policies.p]\nfirst_response = { default = \"4.1m\" }\nresolution = { default = \"4.1h\" }\n",
    );
    let (out, _) = wd.csv_and_stderr(&[
        "tickets",
        "t.csv",
        "--config",
        "p.toml",
        "--sla-policy",
        "p",
        "--per-ticket",
    ]);
    let rows = parse_csv(&out);
    let verdicts: Vec<(&str, &str)> = (rows.iter())
        .map(|r| {
            (
                r["sla_first_response"].as_str(),
                r["sla_resolution"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        verdicts,
        [("achieved", "achieved"), ("breached", "breached")]
    );
    // `sla = 4`: both replies (4 minutes) within 4 hours.
    let (out, _) = wd.csv_and_stderr(&["tickets", "t.csv", "--config", "p.toml"]);
    assert_num(&parse_csv(&out)[0], "sla_pct", 100.0);
}

/// An export with its own SLA verdicts gives `sla_pct` from them whatever `--sla`
/// says: a target given is said not to be used. Both flagged met: 100 %.
#[test]
fn a_target_beside_the_exports_own_verdicts_is_said_unused() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket_id,created_at,first_response_at,made_sla\n1,2025-03-01T10:00:00Z,2025-03-01T12:00:00Z,true\n2,2025-03-01T10:00:00Z,2025-03-01T10:05:00Z,true\n",
    );
    let (out, err) = wd.csv_and_stderr(&["tickets", "t.csv", "--sla", "30m"]);
    assert_num(&parse_csv(&out)[0], "sla_pct", 100.0);
    assert!(
        err.contains("--sla: sla_pct is the export's own SLA verdict ('made_sla')"),
        "{err}"
    );
    let (_, err) = wd.csv_and_stderr(&["tickets", "t.csv"]);
    assert!(!err.contains("--sla:"), "{err}");
}

/// A policy with a next-reply target and no event log: next replies come from a log
/// alone, so the run says their columns are not shown (and shows none).
#[test]
fn a_next_reply_target_without_a_log_is_said() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket_id,created_at,first_response_at\nT1,2025-03-03T09:00:00Z,2025-03-03T09:20:00Z\n",
    );
    wd.write(
        "p.toml",
        b"[sla_policies.nr]\nnext_reply = { default = \"1h\" }\n",
    );
    let (out, err) = wd.csv_and_stderr(&[
        "tickets",
        "t.csv",
        "--config",
        "p.toml",
        "--sla-policy",
        "nr",
    ]);
    assert!(
        err.contains("sla_next_reply_*: next replies come from an event log (give --events LOG)"),
        "{err}"
    );
    assert!(!csv_header(&out)
        .iter()
        .any(|c| c.starts_with("sla_next_reply")));
}

/// A policy's `where` value that marks a missing one (`N/A`) is the blank it is in the
/// cells, as `--where priority=N/A` reads it: tickets 1 (`N/A`) and 3 (blank) take the
/// 1 h policy (answered in 2 h: breached), ticket 2 (`high`) the 4 h one (achieved).
#[test]
fn a_policy_where_of_a_missing_marker_takes_the_blank_ones() {
    let wd = Workdir::new();
    wd.write(
        "p.toml",
        b"[sla_policies.unset]\nwhere = { priority = [\"N/A\"] }\nfirst_response = { default = \"1h\" }\n\
[sla_policies.rest]\nfirst_response = { default = \"4h\" }\n",
    );
    wd.write(
        "t.csv",
        b"ticket_id,created_at,first_response_at,priority\n\
1,2025-03-01T10:00:00Z,2025-03-01T12:00:00Z,N/A\n\
2,2025-03-01T10:00:00Z,2025-03-01T12:00:00Z,high\n\
3,2025-03-01T10:00:00Z,2025-03-01T12:00:00Z,\n",
    );
    let (out, err) = wd.csv_and_stderr(&[
        "tickets",
        "t.csv",
        "--config",
        "p.toml",
        "--sla-policy",
        "unset,rest",
        "--per-ticket",
    ]);
    let rows = parse_csv(&out);
    let got: Vec<(&str, &str, &str)> = (rows.iter())
        .map(|r| {
            let cell = |c: &str| r[c].as_str();
            (
                cell("ticket_id"),
                cell("sla_policy"),
                cell("sla_first_response"),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("1", "unset", "breached"),
            ("2", "rest", "achieved"),
            ("3", "unset", "breached")
        ],
        "{err}"
    );
    // `--where` reads it alike: the two without a priority.
    let (out, _) = wd.csv_and_stderr(&["tickets", "t.csv", "--where", "priority=N/A"]);
    assert_eq!(parse_csv(&out)[0]["tickets"], "2");
    // So does a target's priority key: `"N/A" = "15m"` is the blank priorities'
    // (1 and 3 breach 15 min), `high` keeps 4 h (achieved in 2 h).
    wd.write(
        "k.toml",
        b"[sla_policies.keyed]\nfirst_response = { \"N/A\" = \"15m\", high = \"4h\" }\n",
    );
    let (out, err) = wd.csv_and_stderr(&[
        "tickets",
        "t.csv",
        "--config",
        "k.toml",
        "--sla-policy",
        "keyed",
        "--per-ticket",
    ]);
    let verdicts: Vec<String> = (parse_csv(&out).iter())
        .map(|r| r["sla_first_response"].clone())
        .collect();
    assert_eq!(verdicts, ["breached", "achieved", "breached"], "{err}");
}

/// A log read alone reads a policy's `where` marker as the blank it is in the log, as
/// its `--where` does (its column named in any case): `TEAM = ["N/A"]` applies to B (group `N/A`) and C (none), not to
/// F (`N/a`, a name); and two priority keys naming the blank priority (`""`, `"N/A"`)
/// are one given twice (exit 2).
#[test]
fn a_logs_policy_where_of_a_missing_marker_and_blank_keys_given_twice() {
    let wd = Workdir::new();
    wd.write(
        "ev.csv",
        b"ticket_id,at,author_role,public,status,group\n\
A,2025-03-03 10:00,customer,true,new,G1\n\
A,2025-03-03 10:20,agent,true,open,G1\n\
B,2025-03-03 10:00,customer,true,new,N/A\n\
B,2025-03-03 10:30,agent,true,open,N/A\n\
C,2025-03-03 10:00,customer,true,new,\n\
C,2025-03-03 10:40,agent,true,open,\n\
F,2025-03-03 10:00,customer,true,new,N/a\n\
F,2025-03-03 11:10,agent,true,open,N/a\n",
    );
    wd.write(
        "p.toml",
        b"[sla_policies.x]\nwhere = { TEAM = [\"N/A\"] }\nfirst_response = { default = \"1m\" }\n\
[sla_policies.rest]\nfirst_response = { default = \"999m\" }\n",
    );
    let (out, err) = wd.csv_and_stderr(&[
        "tickets",
        "--events",
        "ev.csv",
        "--config",
        "p.toml",
        "--sla-policy",
        "x,rest",
        "--per-ticket",
        "--now",
        "2025-06-01T00:00:00Z",
    ]);
    let applied: Vec<(String, String)> = (parse_csv(&out).iter())
        .map(|r| (r["ticket_id"].clone(), r["sla_policy"].clone()))
        .collect();
    let want = [("A", "rest"), ("B", "x"), ("C", "x"), ("F", "rest")];
    let want: Vec<(String, String)> = want
        .iter()
        .map(|(t, p)| (t.to_string(), p.to_string()))
        .collect();
    assert_eq!(applied, want, "{err}");
    // Refused where the config is read: any run with this config stops.
    wd.write(
        "dup.toml",
        b"[sla_policies.rest]\nfirst_response = { default = \"999m\" }\n\
[sla_policies.dup]\nfirst_response = { \"\" = \"15m\", \"N/A\" = \"25m\" }\n",
    );
    let out = wd
        .cxm()
        .args([
            "tickets",
            "--events",
            "ev.csv",
            "--config",
            "dup.toml",
            "--sla-policy",
            "rest",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        // At the config's line, as a key given twice is.
        err.contains("--config dup.toml:4: sla_policies.dup.first_response: '' and 'N/A' both name a blank priority"),
        "{err}"
    );
}

/// A policy's `where` tells a missing value's marker by its case, as `--where` does:
/// `NA` is one (T1 blank and T2 `NA`; T2 breaches 1 h), `N/a` a channel's name (T4).
#[test]
fn a_policy_where_tells_markers_by_their_case() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket_id,created_at,first_response_at,channel\n\
T1,2025-03-03T10:00:00Z,2025-03-03T10:30:00Z,\n\
T2,2025-03-03T10:00:00Z,2025-03-03T12:30:00Z,NA\n\
T3,2025-03-03T10:00:00Z,2025-03-03T10:30:00Z,na\n\
T4,2025-03-03T10:00:00Z,2025-03-03T12:30:00Z,N/a\n",
    );
    for (value, judged) in [("NA", vec!["T1", "T2"]), ("N/a", vec!["T4"])] {
        let config = format!(
            "[sla_policies.p]\nwhere = {{ channel = [\"{value}\"] }}\nfirst_response = {{ default = \"1h\" }}\n"
        );
        wd.write("p.toml", config.as_bytes());
        let (out, err) = wd.csv_and_stderr(&[
            "tickets",
            "t.csv",
            "--config",
            "p.toml",
            "--sla-policy",
            "p",
            "--per-ticket",
        ]);
        let got: Vec<String> = (parse_csv(&out).iter())
            .filter(|r| !r["sla_first_response"].is_empty())
            .map(|r| r["ticket_id"].clone())
            .collect();
        assert_eq!(got, judged, "{value}: {err}");
    }
}

/// A policy's `where` on a column named like a pattern (`*`) is refused with its own
/// advice, naming the policy (it gave `--by *`'s message); mapped to a field it
/// reads: T1, answered in 30 min against 1 h, achieved. `report` and `customers`
/// turn `--by *`'s advice into the config's tables and still say `then --by FIELD`.
#[test]
fn a_policys_where_on_a_column_named_like_a_pattern() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"customer_id,ticket_id,created_at,first_response_at,*\nC1,T1,2025-03-03T10:00:00Z,2025-03-03T10:30:00Z,x\n",
    );
    wd.write(
        "p.toml",
        b"[sla_policies.p]\nwhere = { \"*\" = [\"x\"] }\nfirst_response = { default = \"1h\" }\n",
    );
    let out = wd
        .cxm()
        .args([
            "tickets",
            "t.csv",
            "--config",
            "p.toml",
            "--sla-policy",
            "p",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("t.csv: sla_policies.p.where reads '*', a column named like a pattern, which is read only through a field: map it to one the file does not use ([map.tickets] FIELD = \"*\")"),
        "{err}"
    );
    wd.write(
        "m.toml",
        b"[map.tickets]\nchannel = \"*\"\n[sla_policies.p]\nwhere = { channel = [\"x\"] }\nfirst_response = { default = \"1h\" }\n",
    );
    let rows = wd.csv_rows(&[
        "tickets",
        "t.csv",
        "--config",
        "m.toml",
        "--sla-policy",
        "p",
    ]);
    assert_eq!(rows[0]["sla_pct"], "100");
    std::fs::create_dir(wd.path("d")).unwrap();
    wd.write("d/tickets.csv", &std::fs::read(wd.path("t.csv")).unwrap());
    for args in [
        &["report", "d", "--by", "*"][..],
        &["customers", "--tickets", "t.csv", "--by", "*"],
    ] {
        let out = wd.cxm().args(args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains("(FIELD = \"*\" in the [map.tickets]")
                && err.contains("table of the --config file, then --by FIELD)"),
            "{args:?}: {err}"
        );
    }
}

/// `--schedule` on a `--per-ticket` table read back (durations, no times) warns
/// that business hours cannot be counted, rather than leaving the business columns
/// empty in silence; the calendar figures read back (2 h, 26 h).
#[test]
fn schedule_on_durations_alone_is_warned_of() {
    let wd = Workdir::new();
    wd.write(
        "pt.csv",
        b"ticket_id,created_at,first_response_seconds,resolution_seconds\nT1,2025-03-03T08:00:00Z,7200,93600\n",
    );
    wd.write(
        "c.toml",
        b"[schedules.s]\ntz = \"UTC\"\nmon = \"09:00-17:00\"\ntue = \"09:00-17:00\"\n",
    );
    let (rows, err) = {
        let out = wd
            .cxm()
            .args([
                "tickets",
                "pt.csv",
                "--config",
                "c.toml",
                "--schedule",
                "s",
                "--format",
                "csv",
            ])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        (
            parse_csv(&out.stdout),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    assert_num(&rows[0], "first_response_mean_hours", 2.0);
    assert_num(&rows[0], "resolution_mean_hours", 26.0);
    assert_eq!(rows[0]["resolution_business_mean_hours"], "");
    for name in ["first_response", "resolution"] {
        assert!(
            err.contains(&format!("--schedule: {name}_business_*: business hours are counted between times, and the data gives only {name}_seconds (a --per-ticket table keeps them as {name}_business_seconds)")),
            "{err}"
        );
    }
}

/// Business time from an event log covering some tickets beside the file's own
/// durations: the mean is over the tickets that have one (ticket 1, replied Monday
/// 09:00 → 10:00 in open hours: 1 h; it was 0.5, ticket 2 counted as 0). A log that
/// covers both (ticket 2 Monday 16:00 → Tuesday 10:00: 1 h + 1 h) gives 1.5, with no
/// warning that the data holds durations alone.
#[test]
fn business_time_from_a_partial_log_is_averaged_over_its_tickets() {
    let wd = Workdir::new();
    wd.write(
        "s.toml",
        b"[schedules.biz]\ntz = \"UTC\"\nmon = [\"09:00-17:00\"]\ntue = [\"09:00-17:00\"]\n",
    );
    wd.write(
        "t.csv",
        b"ticket_id,created_at,first_reply_time_in_minutes,solved_at,status\n1,2025-01-06T09:00:00Z,60,2025-01-06T12:00:00Z,solved\n2,2025-01-06T16:00:00Z,1080,2025-01-07T11:00:00Z,solved\n",
    );
    wd.write(
        "one.csv",
        b"ticket_id,at,author_role,public,status\n1,2025-01-06T09:00:00Z,customer,true,new\n1,2025-01-06T10:00:00Z,agent,true,open\n",
    );
    wd.write(
        "both.csv",
        b"ticket_id,at,author_role,public,status\n1,2025-01-06T09:00:00Z,customer,true,new\n1,2025-01-06T10:00:00Z,agent,true,open\n\
2,2025-01-06T16:00:00Z,customer,true,new\n2,2025-01-07T10:00:00Z,agent,true,open\n",
    );
    let run = |log: &str, by: &str| {
        let out = wd
            .cxm()
            .args([
                "tickets",
                "t.csv",
                "--events",
                log,
                "--config",
                "s.toml",
                "--schedule",
                "biz",
            ])
            .args(["--by", by, "--format", "csv"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        (
            parse_csv(&out.stdout),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (rows, _) = run("one.csv", "");
    assert_num(&rows[0], "first_response_business_mean_hours", 1.0);
    let (rows, _) = run("one.csv", "ticket_id");
    assert_eq!(rows[1]["ticket_id"], "2");
    assert_eq!(rows[1]["first_response_business_mean_hours"], "");
    let (rows, err) = run("both.csv", "");
    assert_num(&rows[0], "first_response_business_mean_hours", 1.5);
    assert!(!err.contains("--schedule:"), "{err}");
}

/// A per-ticket page has no sla_pct: its header names no first-response target, only
/// the policies whose verdicts it shows.
#[test]
fn a_per_ticket_page_names_its_policies_not_a_target() {
    let wd = workdir();
    let page = |extra: &[&str]| {
        let out = (wd.cxm())
            .args([
                "tickets", "t.csv", "--config", "sla.toml", "--format", "html",
            ])
            .args(["--now", NOW])
            .args(extra)
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let html = page(&["--per-ticket", "--sla-policy", "chat"]);
    assert!(html.contains("SLA: policies chat"), "{html}");
    assert!(!html.contains("first response within"), "{html}");
    assert!(!page(&["--per-ticket"]).contains("SLA:"));
    assert!(page(&[]).contains("SLA: first response within 1h"));
}
