//! `--config FILE`: defaults from TOML, overridden by flags; unknown keys are exit 2.

use crate::common::{assert_num, csv_rows, fixture, parse_csv, Workdir};

#[test]
fn label_map_from_the_config_file() {
    // helpscout.csv rates Great, Okay, Not Good, Great. Built in, Great = 5, Okay = 3,
    // Not Good = 1: 2 of 4 top-two-box, mean 14/4. The file makes Okay 4: 3 of 4,
    // mean 15/4.
    let without = csv_rows(&["surveys", &fixture("surveys/helpscout.csv"), "-q"]);
    assert_eq!(without[0]["csat_responses"], "4");
    assert_num(&without[0], "csat_pct", 50.0);
    assert_num(&without[0], "csat_mean", 3.5);
    let with = csv_rows(&[
        "surveys",
        &fixture("surveys/helpscout.csv"),
        "--config",
        &fixture("config/helpscout.toml"),
    ]);
    assert_eq!(with[0]["csat_responses"], "4");
    assert_num(&with[0], "csat_pct", 75.0);
    assert_num(&with[0], "csat_mean", 3.75);
}

// tickets.toml: sla = "30m", time_unit = "minutes", by = ["team"] (see tickets.rs for
// basic.csv). Team A: first responses 30, 60, 120 min; B: 15, 45 min.
#[test]
fn config_defaults_and_flags_that_override_them() {
    let rows = csv_rows(&[
        "tickets",
        &fixture("tickets/basic.csv"),
        "--config",
        &fixture("config/tickets.toml"),
        "-q",
    ]);
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["team"], "A");
    assert_num(&rows[0], "first_response_mean_minutes", 70.0);
    // Within 30 min: A 30 (exactly: met) of 3; B 15 of 2.
    assert_num(&rows[0], "sla_pct", 100.0 / 3.0);
    assert_num(&rows[1], "sla_pct", 50.0);
    // Flags win: --sla 1h, --time-unit hours, --by channel.
    let rows = csv_rows(&[
        "tickets",
        &fixture("tickets/basic.csv"),
        "--config",
        &fixture("config/tickets.toml"),
        "--sla",
        "1h",
        "--time-unit",
        "hours",
        "--by",
        "channel",
        "-q",
    ]);
    assert_eq!(rows[0]["channel"], "chat");
    // chat: 1.0 h and 0.25 h, both within 1 h; email: 0.5, 2.0, 0.75 → 2 of 3.
    assert_num(&rows[0], "sla_pct", 100.0);
    assert_num(&rows[1], "sla_pct", 200.0 / 3.0);
    assert_num(&rows[1], "first_response_mean_hours", 3.25 / 3.0);
}

#[test]
fn unknown_key_is_a_usage_error_naming_key_and_line() {
    Workdir::new()
        .cxm()
        .args([
            "surveys",
            &fixture("surveys/helpscout.csv"),
            "--config",
            &fixture("config/typo.toml"),
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("line 5"))
        .stderr(predicates::str::contains("unknown field `cest`"));
}

/// A config file saved as Windows-1252 (`Équipe` on line 3) is named with its line
/// and the way out: TOML is read as UTF-8 only.
#[test]
fn a_config_file_not_in_utf8_names_its_line() {
    let wd = Workdir::new();
    wd.write("cx.toml", b"# teams\n[map.tickets]\nteam = \"\xc9quipe\"\n");
    wd.cxm()
        .args([
            "surveys",
            &fixture("surveys/helpscout.csv"),
            "--config",
            "cx.toml",
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "--config cx.toml:3: bytes that are not UTF-8 (a TOML file is UTF-8): re-save it as UTF-8",
        ));
}

#[test]
fn label_off_the_scale_is_a_usage_error() {
    Workdir::new()
        .cxm()
        .args([
            "surveys",
            &fixture("surveys/helpscout.csv"),
            "--config",
            &fixture("config/bad_label.toml"),
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "bad_label.toml:2: labels.ces: 'Very easy' = 9 is not a point of the 1-7 scale",
        ));
}

/// A label or status word that marks a missing value (`""`, `NA`) could never be
/// read: its cells are blank. Refused at its line (it loaded without a word, the
/// cells counted as without a score).
#[test]
fn a_label_or_status_that_marks_a_missing_value_is_refused() {
    let wd = Workdir::new();
    wd.write(
        "s.csv",
        b"response_id,submitted_at,csat\nr1,2025-03-03T12:00:00Z,5\n",
    );
    wd.write("l.toml", b"[labels.csat]\ngreat = 5\nNA = 4\n");
    wd.write("st.toml", b"[statuses]\n\"\" = \"hold\"\n");
    // The file's own `na` makes `-` a missing value too.
    wd.write("na.toml", b"na = [\"-\"]\n[labels.csat]\n\"-\" = 1\n");
    for (config, says) in [
        (
            "na.toml",
            "--config na.toml:3: labels.csat.-: '-' marks a missing value",
        ),
        (
            "l.toml",
            "--config l.toml:3: labels.csat.NA: 'NA' marks a missing value",
        ),
        (
            "st.toml",
            "--config st.toml:2: statuses.\"\": '' marks a missing value",
        ),
    ] {
        let out = wd
            .cxm()
            .args(["surveys", "s.csv", "--config", config])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains(says), "{err}");
    }
}

#[test]
fn mapping_from_the_config_file() {
    // The NYC 311 export has no team column: map Agency to team in the file.
    let wd = Workdir::new();
    let cfg = wd.write("cx.toml", b"[map.tickets]\nteam = \"Agency\"\n");
    let rows = csv_rows(&[
        "tickets",
        &fixture("real/nyc311_2022-05-01.csv"),
        "--config",
        cfg.to_str().unwrap(),
        "--by",
        "team",
        "-q",
    ]);
    assert!(rows.iter().any(|r| r["team"] == "NYPD"), "{rows:?}");
    let total: u64 = rows
        .iter()
        .map(|r| r["tickets"].parse::<u64>().unwrap())
        .sum();
    assert_eq!(total, 924);
}

#[test]
fn example_config_runs_on_the_sample_data() {
    let root = env!("CARGO_MANIFEST_DIR");
    let rows = csv_rows(&[
        "tickets",
        &format!("{root}/sample-data/tickets.csv"),
        "--config",
        &format!("{root}/examples/cx.toml"),
        "--period",
        "2025-W10",
    ]);
    // by = ["team"], every = "week", minutes: five teams, one ISO week each.
    assert_eq!(rows.len(), 5);
    assert!(rows.iter().all(|r| r["period"] == "2025-W10"));
    assert!(rows[0].contains_key("first_response_mean_minutes"));
}

#[test]
fn example_saved_report_runs_on_the_sample_data() {
    let root = env!("CARGO_MANIFEST_DIR");
    let out = Workdir::new()
        .cxm()
        .args([
            "report",
            "--config",
            &format!("{root}/examples/cx.toml"),
            "q4",
            "-q",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let md = String::from_utf8(out.stdout).unwrap();
    // Q4 2025 in Europe/Berlin, by team (from the defaults), every month.
    assert!(md.starts_with("# CX report\n\n- window: 2025-10-01 00:00 to 2026-01-01 00:00"));
    assert!(md.contains("Europe/Berlin; by team; every month"), "{md}");
    for month in ["2025-10", "2025-11", "2025-12"] {
        assert!(md.contains(&format!("| billing | {month} |")), "{md}");
    }
}

#[test]
fn a_schedule_is_checked_when_the_config_is_read() {
    let wd = Workdir::new();
    wd.write(
        "hours.toml",
        b"[schedules.support]\ntz = \"Europe/Berlin\"\nmon = [\"09:00-17:00\"]\ntue = [\"17:00-09:00\"]\n",
    );
    let out = wd
        .cxm()
        .args([
            "tickets",
            &fixture("tickets/basic.csv"),
            "--config",
            "hours.toml",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("schedules.support.tue") && err.contains("17:00-09:00"),
        "{err}"
    );
    // A good one is accepted (and, until a command uses it, changes nothing).
    wd.write(
        "hours.toml",
        b"[schedules.support]\ntz = \"Europe/Berlin\"\nmon = [\"09:00-17:00\"]\nholidays = [\"2025-12-24..2025-12-26\"]\n",
    );
    let rows = wd.csv_rows(&[
        "tickets",
        &fixture("tickets/basic.csv"),
        "--config",
        "hours.toml",
    ]);
    assert_eq!(rows[0]["tickets"], "7");
}

/// The config file holds defaults for many files: a `by` column one file lacks is
/// passed over with a warning (a CSAT export without a team is summarised whole: 1 of
/// 3 satisfied), and a preset list naming presets of several commands gives each
/// command its own. On the command line, both stay errors.
#[test]
fn config_defaults_that_do_not_fit_a_file_are_passed_over() {
    let wd = Workdir::new();
    wd.write(
        "c.toml",
        b"by = [\"team\"]\npreset = [\"zendesk\", \"medallia\"]\n",
    );
    wd.write(
        "ratings.csv",
        b"response_id,submitted_at,csat\n1,2025-01-01T10:00:00Z,5\n2,2025-01-02T10:00:00Z,3\n3,2025-01-03T10:00:00Z,1\n",
    );
    wd.write(
        "medallia.csv",
        b"request_id,response_received_at,star_rating\nr1,2025-01-06T10:00:00Z,5\n",
    );
    let out = wd
        .cxm()
        .args([
            "surveys",
            "ratings.csv",
            "--config",
            "c.toml",
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("by = 'team'"), "{err}");
    let rows = crate::common::parse_csv(&out.stdout);
    assert_eq!(rows.len(), 1);
    crate::common::assert_num(&rows[0], "csat_pct", 100.0 / 3.0);
    // Medallia's preset reads the star rating as CSAT; Zendesk's is for tickets.
    let rows = wd.csv_rows(&["surveys", "medallia.csv", "--config", "c.toml", "-q"]);
    crate::common::assert_num(&rows[0], "csat_pct", 100.0);
    wd.cxm()
        .args(["surveys", "ratings.csv", "--by", "team"])
        .assert()
        .code(3);
    wd.cxm()
        .args(["surveys", "ratings.csv", "--preset", "zendesk"])
        .assert()
        .code(2);
}

/// A config value that stands for a flag is checked when the file is read, and the
/// error names the file and the key, not a flag never given (exit 2).
#[test]
fn config_values_are_checked_and_named_by_their_key() {
    // Each error names the key and its line (a table's: its header's).
    let wd = Workdir::new();
    let tickets = crate::common::fixture("tickets/basic.csv");
    for (text, says) in [
        ("tz = \"Mars/Olympus\"\n", "c.toml:1: tz: unknown time zone"),
        (
            "[schedules.eu]\ntz = \"UTC\"\nmon = [\"25:00-17:00\"]\n",
            "c.toml:3: schedules.eu.mon: '25:00-17:00' is not an interval",
        ),
        (
            "[statuses]\nfoo = \"weird\"\n",
            "c.toml:2: statuses.foo: 'weird' is not new, open",
        ),
        (
            "[roles]\n\n user = \"human\"\n",
            "c.toml:3: roles.user: 'human' is not agent, customer, system or bot",
        ),
        (
            "[scale]\ncsat = \"1-6\"\n",
            "c.toml:2: scale.csat: unknown scale",
        ),
        (
            "[map.surveys]\nbogus = \"csat\"\n",
            "c.toml:2: map.surveys.bogus: unknown field",
        ),
        (
            "[reports.r]\nperiod = \"2025-13\"\n",
            "c.toml:2: reports.r.period: no period '2025-13': months run from 01 to 12",
        ),
        (
            "[reports.r]\ntz = \"Nowhere\"\n",
            "c.toml:2: reports.r.tz: unknown time zone",
        ),
        (
            "[reports.r]\nsince = \"2025-01-01\"\nperiod = \"2025-Q1\"\n",
            "c.toml:2: reports.r.since: cannot be used with reports.r.period (a named window is both its bounds)",
        ),
        // A saved report's schedule and policies: at the key's line, not its table's.
        (
            "[schedules.ny]\ntz = \"UTC\"\nmon = \"09:00-17:00\"\n[reports.r]\nperiod = \"2025-Q1\"\nschedule = \"nyx\"\n",
            "c.toml:6: reports.r.schedule: --schedule nyx: no [schedules.nyx]",
        ),
        (
            "[reports.r]\ntz = \"UTC\"\nsla_policy = \"zz\"\n",
            "c.toml:3: reports.r.sla_policy: ",
        ),
        (
            "since = \"2025-03-01\"\nuntil = \"2025-02-01\"\n",
            "c.toml: until (2025-02-01 00:00:00 UTC) must be after since (2025-03-01 00:00:00 UTC) (in UTC)",
        ),
    ] {
        wd.write("c.toml", text.as_bytes());
        let out = wd
            .cxm()
            .args(["tickets", &tickets, "--config", "c.toml"])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{text}: {err}");
        assert!(err.contains(says), "{text}: {err}");
    }
    // A bad `--now` on the command line is not the file's.
    wd.write("c.toml", b"");
    let out = wd
        .cxm()
        .args([
            "tickets",
            &tickets,
            "--config",
            "c.toml",
            "--now",
            "2025-06-03",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.starts_with("cxm: error: --now: expected RFC 3339"),
        "{err}"
    );
    assert!(
        !err.contains("c.toml") && !err.contains("(in UTC)"),
        "{err}"
    );
    wd.write("c.toml", b"[reports.r]\ndir = \"nope\"\n");
    let out = wd
        .cxm()
        .args(["report", "--config", "c.toml", "r"])
        .output()
        .unwrap();
    // A folder not there is missing input (see below).
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("reports.r.dir"));
}

/// The config file may hold the window and the clock too (SPEC §3: any of the shared
/// options): `period = "last-month"` with `now` gives the same figures as the flags,
/// and a window on the command line replaces the file's.
#[test]
fn the_window_and_the_clock_from_the_config_file() {
    let wd = Workdir::new();
    let tickets = format!("{}/sample-data/tickets.csv", env!("CARGO_MANIFEST_DIR"));
    wd.write(
        "c.toml",
        b"period = \"last-month\"\nnow = \"2025-04-15T12:00:00Z\"\n",
    );
    let from_file = wd.csv_rows(&["tickets", &tickets, "--config", "c.toml", "-q"]);
    let from_flags = wd.csv_rows(&[
        "tickets",
        &tickets,
        "--since",
        "2025-03-01",
        "--until",
        "2025-04-01",
        "-q",
    ]);
    assert_eq!(from_file, from_flags);
    let replaced = wd.csv_rows(&[
        "tickets", &tickets, "--config", "c.toml", "--period", "2025-Q1", "-q",
    ]);
    let q1 = wd.csv_rows(&["tickets", &tickets, "--period", "2025-Q1", "-q"]);
    assert_eq!(replaced, q1);
    assert_ne!(q1[0]["tickets"], from_flags[0]["tickets"]);
}

/// `by` in the file takes one text (comma-separated, as `--by`) or a list, and
/// `--by ''` clears it. basic.csv: team A has 4 tickets (3 email, 1 chat), B 3 (1
/// chat, 2 email); 7 in all.
#[test]
fn by_in_the_file_as_text_or_list_and_cleared_by_an_empty_by() {
    let wd = Workdir::new();
    let run = |toml: &str, extra: &[&str]| {
        wd.write("by.toml", toml.as_bytes());
        let mut args = vec!["tickets", "--config", "by.toml"];
        let basic = fixture("tickets/basic.csv");
        args.push(&basic);
        args.extend_from_slice(extra);
        wd.csv_rows(&args)
    };
    let tickets = |rows: &[std::collections::HashMap<String, String>]| {
        rows.iter()
            .map(|r| {
                let key = [r.get("team"), r.get("channel")]
                    .into_iter()
                    .flatten()
                    .cloned()
                    .collect::<Vec<_>>()
                    .join("/");
                format!("{key}:{}", r["tickets"])
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(tickets(&run("by = \"team\"\n", &[])), ["A:4", "B:3"]);
    let pairs = ["A/chat:1", "A/email:3", "B/chat:1", "B/email:2"];
    assert_eq!(tickets(&run("by = \"team, channel\"\n", &[])), pairs);
    assert_eq!(tickets(&run("by = [\"team\", \"channel\"]\n", &[])), pairs);
    // An item holding a comma is two names, as `--by team,channel` is.
    assert_eq!(tickets(&run("by = [\"team,channel\"]\n", &[])), pairs);
    assert_eq!(tickets(&run("by = \"team\"\n", &["--by", ""])), [":7"]);
    assert_eq!(tickets(&run("by = \"\"\n", &[])), [":7"]);
    // An empty name beside others, or a number, is refused, naming what was given.
    for (toml, names) in [("by = \"team,\"\n", "team,"), ("by = 3\n", "3")] {
        wd.write("by.toml", toml.as_bytes());
        let out = wd
            .cxm()
            .args([
                "tickets",
                &fixture("tickets/basic.csv"),
                "--config",
                "by.toml",
            ])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{toml}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("by.toml") && err.contains(names), "{err}");
    }
    let out = wd
        .cxm()
        .args(["tickets", &fixture("tickets/basic.csv"), "--by", "team,"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--by team,: an empty column name"));
}

/// A bad window bound in the config file is named by its own key.
#[test]
fn a_bad_until_in_the_config_is_named_until() {
    let wd = Workdir::new();
    wd.write("u.toml", b"until = \"garbage\"\n");
    wd.write(
        "r.toml",
        b"[reports.weekly]\nsince = \"2025-01-01\"\nuntil = \"2025-13-01\"\n",
    );
    wd.cxm()
        .args([
            "tickets",
            &fixture("tickets/basic.csv"),
            "--config",
            "u.toml",
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "u.toml:1: until: expected YYYY-MM-DD",
        ));
    wd.cxm()
        .args(["report", "--config", "r.toml", "weekly"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "r.toml:3: reports.weekly.until: expected YYYY-MM-DD, a local YYYY-MM-DDTHH:MM[:SS] (in --tz) or RFC 3339 (an offset from -12:00 to +14:00, which may be written +00 or +0545), got '2025-13-01'",
        ));
}

/// `inspect --config` reads the file as the metric commands do: the config's
/// `[map.tickets]` maps `Key` and `Opened`, and its `na` marker `n.d.` is a missing
/// value, not an unreadable time.
#[test]
fn inspect_uses_the_configs_maps_and_markers() {
    let wd = Workdir::new();
    wd.write(
        "m.csv",
        b"Key,Opened,Answered\nT1,2025-03-03T08:00:00Z,n.d.\nT2,2025-03-03T09:00:00Z,2025-03-03T09:30:00Z\n",
    );
    wd.write(
        "m.toml",
        b"na = [\"n.d.\"]\n\n[map.tickets]\nticket_id = \"Key\"\ncreated_at = \"Opened\"\nfirst_response_at = \"Answered\"\n",
    );
    let out = wd
        .cxm()
        .args(["inspect", "m.csv", "--config", "m.toml", "--format", "csv"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(!err.contains("no column for required field"), "{err}");
    assert!(!err.contains("n.d."), "{err}");
    let rows = crate::common::parse_csv(&out.stdout);
    let field = |column: &str| {
        rows.iter()
            .find(|r| r["column"] == column)
            .map(|r| r["field"].clone())
    };
    assert_eq!(field("Key").as_deref(), Some("ticket_id"));
    assert_eq!(field("Opened").as_deref(), Some("created_at"));
    assert_eq!(field("Answered").as_deref(), Some("first_response_at"));
}

/// A saved report's folder is checked when the report runs, the error naming the
/// config file and the key: one not there is missing input (exit 3, as `report DIR`
/// of a folder not there; it was 2, a broken config to a cron wrapper); a file named
/// as the folder is the config's mistake (exit 2).
#[test]
fn a_saved_reports_missing_folder_names_the_file_and_key() {
    let wd = Workdir::new();
    wd.write("r.toml", b"[reports.weekly]\ndir = \"nope\"\n");
    wd.cxm()
        .args(["report", "--config", "r.toml", "weekly"])
        .assert()
        .code(3)
        .stderr(predicates::str::contains("r.toml:2: reports.weekly.dir: "))
        .stderr(predicates::str::contains("cannot open: no such folder"));
    wd.write("afile", b"x\n");
    wd.write("f.toml", b"[reports.weekly]\ndir = \"afile\"\n");
    wd.cxm()
        .args(["report", "--config", "f.toml", "weekly"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("is not a directory"));
}

/// A column the config file maps that the file lacks is named as the config's, not as
/// a `--map` never typed; one typed is named as typed.
#[test]
fn a_config_map_to_a_missing_column_names_the_config_table() {
    let wd = Workdir::new();
    wd.write("m.toml", b"[map.surveys]\nnps = \"Nope\"\n");
    let surveys = fixture("surveys/compare.csv");
    wd.cxm()
        .args(["surveys", &surveys, "--config", "m.toml"])
        .assert()
        .code(3)
        .stderr(predicates::str::contains(
            "nps = \"Nope\" in the [map.surveys] table of the --config file: no column 'Nope'",
        ));
    wd.cxm()
        .args(["surveys", &surveys, "--map", "nps=Nope"])
        .assert()
        .code(3)
        .stderr(predicates::str::contains(
            "--map nps=Nope: no column 'Nope'",
        ));
}

/// A saved report's `where` and `fail_if` errors name the file, the key's line and
/// the report's key.
#[test]
fn a_saved_reports_bad_where_and_fail_if_name_their_keys() {
    let wd = Workdir::new();
    wd.write(
        "tickets.csv",
        b"ticket_id,created_at\nT1,2025-01-06T09:00:00Z\n",
    );
    wd.write(
        "w.toml",
        b"[reports.weekly]\ndir = \".\"\nwhere = [\"team\"]\n",
    );
    wd.write(
        "f.toml",
        b"[reports.weekly]\ndir = \".\"\nfail_if = [\"csat_pct<<3\"]\n",
    );
    wd.cxm()
        .args(["report", "--config", "w.toml", "weekly"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "w.toml:3: reports.weekly.where: 'team'",
        ));
    wd.cxm()
        .args(["report", "--config", "f.toml", "weekly"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "f.toml:3: reports.weekly.fail_if: ",
        ));
}

/// A saved report turns the comparison on with `compare = "previous"`, so its
/// `fail_if` can read the changes: 2 tickets in W02 against 1 in W01 is a change of
/// 1, which `tickets_change>0` catches (exit 4). A `--fail-if` flag replaces the saved
/// rules, saying so. One rule may be given as one text, as `where` may.
#[test]
fn a_saved_report_compares_and_a_flag_rule_replaces_its_rules() {
    let wd = Workdir::new();
    wd.write(
        "tickets.csv",
        b"ticket_id,created_at\nT1,2025-01-06T09:00:00Z\nT2,2025-01-07T09:00:00Z\nT0,2024-12-31T09:00:00Z\n",
    );
    wd.write(
        "c.toml",
        b"[reports.weekly]\ndir = \".\"\nperiod = \"2025-W02\"\ncompare = \"previous\"\nfail_if = \"tickets_change>0\"\n",
    );
    let out = wd
        .cxm()
        .args(["report", "--config", "c.toml", "weekly", "--format", "csv"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{err}");
    assert!(err.contains("tickets_change = 1"), "{err}");
    let out = wd
        .cxm()
        .args(["report", "--config", "c.toml", "weekly", "--format", "csv"])
        .args(["--fail-if", "tickets<1"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("--fail-if replaces the saved report's fail_if (tickets_change>0)"),
        "{err}"
    );
    wd.write(
        "bad.toml",
        b"[reports.weekly]\ndir = \".\"\ncompare = \"last-year\"\n",
    );
    wd.cxm()
        .args(["report", "--config", "bad.toml", "weekly"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "reports.weekly.compare: 'last-year'",
        ));
}

/// A window flag replaces the file's window as a whole: with `since` and `until` in
/// the file, `--until 2025-03-10` alone counts every ticket before March 10 (the
/// file's `since` is not kept). Counts made here from the sample's `created_at`
/// (ISO texts in UTC, which order as their instants).
#[test]
fn a_window_flag_replaces_the_files_whole_window() {
    let sample = concat!(env!("CARGO_MANIFEST_DIR"), "/sample-data/tickets.csv");
    let mut reader = csv::Reader::from_path(sample).unwrap();
    let at = reader
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "created_at")
        .unwrap();
    let created: Vec<String> = reader
        .records()
        .map(|r| r.unwrap()[at].to_string())
        .collect();
    let count = |from: &str, to: &str| {
        let n = created
            .iter()
            .filter(|c| c.as_str() >= from && c.as_str() < to)
            .count();
        n.to_string()
    };
    let wd = Workdir::new();
    wd.write(
        "w.toml",
        b"since = \"2025-03-01\"\nuntil = \"2025-04-01\"\n",
    );
    let tickets = |extra: &[&str]| {
        let mut args = vec!["tickets", sample, "--config", "w.toml", "-q"];
        args.extend(extra);
        wd.csv_rows(&args)[0]["tickets"].clone()
    };
    assert_eq!(tickets(&[]), count("2025-03-01", "2025-04-01"));
    assert_eq!(tickets(&["--until", "2025-03-10"]), count("", "2025-03-10"));
}

/// `--every none` switches off the config file's buckets for one run, as `--by ''`
/// does its grouping: two tickets in two ISO weeks are two rows under `every =
/// "week"`, one row of 2 with `--every none`, in `report` too.
#[test]
fn every_none_overrides_the_configured_buckets() {
    let wd = Workdir::new();
    wd.write("cxm.toml", b"every = \"week\"\n");
    wd.write(
        "t.csv",
        b"ticket_id,created_at\nA,2025-03-03T09:00:00Z\nB,2025-03-10T09:00:00Z\n",
    );
    let rows = wd.csv_rows(&["tickets", "t.csv", "--config", "cxm.toml"]);
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(
        (rows[0]["period"].as_str(), rows[1]["period"].as_str()),
        ("2025-W10", "2025-W11")
    );
    let rows = wd.csv_rows(&[
        "tickets", "t.csv", "--config", "cxm.toml", "--every", "none",
    ]);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0]["tickets"], "2");
    assert!(!rows[0].contains_key("period"));
    let rows = wd.csv_rows(&[
        "report",
        "--tickets",
        "t.csv",
        "--config",
        "cxm.toml",
        "--every",
        "none",
    ]);
    let tickets: Vec<_> = rows.iter().filter(|r| r["metric"] == "tickets").collect();
    assert_eq!(tickets.len(), 1, "{rows:?}");
    assert_eq!(
        (tickets[0]["period"].as_str(), tickets[0]["value"].as_str()),
        ("", "2")
    );
    // Churn is counted per calendar bucket: `none` is refused, not ignored.
    wd.write("s.csv", b"customer_id,start_date,end_date\nc,2025-01-01,\n");
    let out = wd
        .cxm()
        .args(["churn", "s.csv", "--every", "none"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("--every none: churn is counted per calendar bucket"));
}

/// A saved report's `output` in a folder that does not exist: a usage error that
/// says the path is the saved report's, so the user knows where to fix it.
#[test]
fn a_saved_reports_unwritable_output_is_named_as_its_own() {
    let wd = Workdir::new();
    wd.write("t.csv", b"ticket_id,created_at\n1,2025-03-03T09:00:00Z\n");
    wd.write(
        "c.toml",
        b"[reports.w]\ntickets = \"t.csv\"\noutput = \"missing/x.csv\"\n",
    );
    let out = wd
        .cxm()
        .args(["report", "w", "--config", "c.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("folder 'missing' does not exist"), "{err}");
    assert!(err.contains("reports.w.output"), "{err}");
}

/// `since`, `until` and `now` are read as TOML dates and times unquoted too (valid
/// TOML, as holidays take them): the same window as quoted.
#[test]
fn config_dates_may_be_unquoted() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket_id,created_at\nT1,2025-02-28T10:00:00Z\nT2,2025-03-03T10:00:00Z\nT3,2025-03-31T23:00:00Z\nT4,2025-04-01T00:00:00Z\n",
    );
    wd.write(
        "q.toml",
        b"since = \"2025-03-01\"\nuntil = \"2025-04-01\"\n",
    );
    wd.write(
        "u.toml",
        b"since = 2025-03-01\nuntil = 2025-04-01T00:00:00Z\nnow = 2025-05-05T00:00:00Z\n",
    );
    for config in ["q.toml", "u.toml"] {
        let out = wd
            .cxm()
            .args(["tickets", "t.csv", "--config", config, "--format", "csv"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{config}: {out:?}");
        // T2 and T3: March, the end excluded.
        assert_eq!(parse_csv(&out.stdout)[0]["tickets"], "2", "{config}");
    }
}

/// A header holding a tab: the `--map` hint is written `$'…'`, and pasted into bash it
/// works (the run then groups by that column: team `a`); the config-table hint of
/// `report` writes it as TOML does (`"Team\tA"`).
#[test]
fn map_hints_for_a_header_with_a_tab_paste_back() {
    let wd = Workdir::new();
    wd.write(
        "tab.csv",
        b"ticket_id,created_at,Team\tA,Team\tA \nT1,2025-01-06T09:00:00Z,a,b\n",
    );
    let out = wd
        .cxm()
        .args(["tickets", "tab.csv", "--by", "Team\tA "])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    let hint = "(--map FIELD=$'Team\\tA ')";
    assert!(err.contains(hint), "{err}");
    let pasted = format!(
        "'{}' tickets tab.csv --format csv --map team=$'Team\\tA ' --by team",
        env!("CARGO_BIN_EXE_cxm")
    );
    let out = std::process::Command::new("bash")
        .args(["-c", &pasted])
        .current_dir(wd.path(""))
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_eq!(crate::common::parse_csv(&out.stdout)[0]["team"], "b");
    wd.write("t.toml", b"[map.tickets]\nteam = \"Team\\tB\"\n");
    let out = wd
        .cxm()
        .args(["report", "--tickets", "tab.csv", "--config", "t.toml"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("team = \"Team\\tB\" in the [map.tickets] table of the --config file"),
        "{err}"
    );
}

/// A hint naming a column can be pasted into a shell where `--map` is taken (a
/// trailing space, an apostrophe: in double quotes), and names the config table where
/// it is not (`report`), column and all: `Team Name`, with its space, and `Team "B"`
/// written as TOML writes it.
#[test]
fn map_hints_keep_a_quoted_columns_text() {
    let wd = Workdir::new();
    wd.write(
        "sp.csv",
        b"ticket_id,created_at,Customer's team,Customer's team \nT1,2025-01-06T09:00:00Z,a,b\n",
    );
    let out = wd
        .cxm()
        .args(["tickets", "sp.csv", "--by", "Customer's team"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("(--map FIELD=\"Customer's team \")"), "{err}");
    wd.write("c.toml", b"[map.tickets]\nteam = \"Team Name\"\n");
    let out = wd
        .cxm()
        .args(["report", "--tickets", "sp.csv", "--config", "c.toml"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("team = \"Team Name\" in the [map.tickets] table of the --config file: no column 'Team Name'"),
        "{err}"
    );
    wd.write("b.toml", b"[map.tickets]\nteam = \"Team \\\"B\\\"\"\n");
    let out = wd
        .cxm()
        .args(["report", "--tickets", "sp.csv", "--config", "b.toml"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("team = \"Team \\\"B\\\"\" in the [map.tickets] table"),
        "{err}"
    );
}

/// The config's window is checked in the zone in force when it is used: in New York,
/// `since` 03:00 UTC (22:00 local the day before) comes before `until` March 3 (05:00
/// UTC), a valid window, also from a config without `tz` run with `--tz`; in Tokyo,
/// `until` March 3 is 15:00 UTC on March 2, before `since`: refused, naming the file
/// and its zone.
#[test]
fn the_configs_window_is_checked_in_its_zone() {
    let w = Workdir::new();
    w.write(
        "t.csv",
        b"ticket_id,created_at\nT1,2025-03-03T04:00:00Z\nT2,2025-03-03T06:00:00Z\n",
    );
    w.write(
        "ny.toml",
        b"tz = \"America/New_York\"\nsince = \"2025-03-03T03:00:00Z\"\nuntil = \"2025-03-03\"\n",
    );
    let rows = w.csv_rows(&["tickets", "t.csv", "--config", "ny.toml"]);
    assert_eq!(rows[0]["tickets"], "1");
    w.write(
        "tk.toml",
        b"tz = \"Asia/Tokyo\"\nsince = \"2025-03-02T20:00:00Z\"\nuntil = \"2025-03-03\"\n",
    );
    let out = w
        .cxm()
        .args(["tickets", "t.csv", "--config", "tk.toml"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("--config tk.toml: until (2025-03-02 15:00:00 UTC) must be after since (2025-03-02 20:00:00 UTC) (in Asia/Tokyo)"),
        "{err}"
    );
    w.write(
        "noz.toml",
        b"since = \"2025-03-03T03:00:00Z\"\nuntil = \"2025-03-03\"\n",
    );
    let rows = w.csv_rows(&[
        "tickets",
        "t.csv",
        "--config",
        "noz.toml",
        "--tz",
        "America/New_York",
    ]);
    assert_eq!(rows[0]["tickets"], "1");
}

/// A file whose headers tell no kind of data is read by the config's `[map.*]` table
/// whose columns it has: `report DIR` takes it as tickets (2 tickets, 1 resolved), and
/// `inspect` says so.
#[test]
fn a_configs_map_tells_a_folders_file() {
    let w = Workdir::new();
    std::fs::create_dir(w.path("d")).unwrap();
    w.write(
        "d/export.csv",
        b"Key,Opened,Answered,Done,Queue\n1,2025-03-03 08:00,2025-03-03 09:00,2025-03-03 10:00,q1\n2,2025-03-03 08:00,2025-03-03 08:30,,q2\n",
    );
    w.write(
        "m.toml",
        b"[map.tickets]\nticket_id = \"Key\"\ncreated_at = \"Opened\"\nfirst_response_at = \"Answered\"\nresolved_at = \"Done\"\nteam = \"Queue\"\n",
    );
    let (out, err) = w.csv_and_stderr(&["report", "d", "--config", "m.toml"]);
    let rows = parse_csv(&out);
    let value = |metric: &str| {
        (rows.iter())
            .find(|r| r["section"] == "tickets" && r["metric"] == metric)
            .map(|r| r["value"].clone())
    };
    assert_eq!(value("tickets").as_deref(), Some("2"), "{err}");
    assert_eq!(value("resolved").as_deref(), Some("1"), "{err}");
    let out = w
        .cxm()
        .args(["inspect", "d/export.csv", "--config", "m.toml"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("data: tickets (cxm tickets)"), "{text}");
}

/// Status words are read with `-` and `_` for a space: `on-hold` and `On Hold` given
/// twice are refused; labels read `_` as written, so `Loved it` and `Loved_it` are two.
#[test]
fn keys_given_twice_are_judged_as_they_are_read() {
    let w = Workdir::new();
    w.write(
        "t.csv",
        b"ticket_id,created_at,closed_at,status\nT1,2025-03-03T09:00:00Z,2025-03-03T10:00:00Z,on-hold\n",
    );
    w.write(
        "s.toml",
        b"[statuses]\n\"on-hold\" = \"hold\"\n\"On Hold\" = \"solved\"\n",
    );
    let out = w
        .cxm()
        .args(["tickets", "t.csv", "--config", "s.toml"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("are one key (read in any case)"), "{err}");
    w.write(
        "s.csv",
        b"response_id,submitted_at,csat\nr1,2025-03-03T10:00:00Z,Loved it\nr2,2025-03-03T10:00:00Z,Loved_it\n",
    );
    w.write(
        "l.toml",
        b"[labels.csat]\n\"Loved it\" = 5\n\"Loved_it\" = 1\n",
    );
    let rows = w.csv_rows(&["surveys", "s.csv", "--config", "l.toml"]);
    assert_eq!(rows[0]["csat_responses"], "2");
    assert_num(&rows[0], "csat_pct", 50.0);
}

/// Of two `[map.*]` tables a file holds, the one mapping more of its columns tells it:
/// `Ref,Date,Score` is surveys (3 mapped), not tickets (2).
#[test]
fn the_map_that_fits_more_columns_tells_a_file() {
    let w = Workdir::new();
    std::fs::create_dir(w.path("d")).unwrap();
    w.write(
        "d/b.csv",
        b"Ref,Date,Score\nR1,2025-03-03T10:00:00Z,5\nR2,2025-03-03T11:00:00Z,2\n",
    );
    w.write(
        "m.toml",
        b"[map.tickets]\nticket_id = \"Ref\"\ncreated_at = \"Date\"\n[map.surveys]\nticket_id = \"Ref\"\nsubmitted_at = \"Date\"\ncsat = \"Score\"\n",
    );
    let (out, err) = w.csv_and_stderr(&["report", "d", "--config", "m.toml"]);
    let rows = parse_csv(&out);
    let sections: std::collections::HashSet<&str> =
        rows.iter().map(|r| r["section"].as_str()).collect();
    assert_eq!(sections, ["surveys"].into_iter().collect(), "{err}");
}

/// `na`, a saved report's `where` and `sla_policy` take one text as well as a list,
/// as the options are given once: `na = "x"` reads `x` as missing, `where = "team=a"`
/// keeps team a's two tickets (T1 answered in 20 min, T3 not at all), and
/// `sla_policy = "std,other"` names two policies, the first judging: T1 within the
/// hour, T3 past it (breached at any later clock).
#[test]
fn single_texts_are_lists_of_one() {
    let w = Workdir::new();
    w.write(
        "t.csv",
        b"ticket_id,created_at,first_response_at,team\nT1,2025-03-03T09:00:00Z,2025-03-03T09:20:00Z,a\nT2,2025-03-03T09:00:00Z,2025-03-03T11:00:00Z,b\nT3,2025-03-03T09:00:00Z,x,a\n",
    );
    w.write(
        "cx.toml",
        b"na = \"x\"\n[sla_policies.std]\nfirst_response = { default = \"1h\" }\n[sla_policies.other]\nfirst_response = { default = \"3h\" }\n[reports.r]\ntickets = \"t.csv\"\nwhere = \"team=a\"\nsla_policy = \"std,other\"\n",
    );
    let (out, err) = w.csv_and_stderr(&["report", "--config", "cx.toml", "r"]);
    let rows = parse_csv(&out);
    let value = |metric: &str| {
        (rows.iter())
            .find(|r| r["section"] == "tickets" && r["metric"] == metric)
            .map(|r| r["value"].clone())
            .unwrap_or_default()
    };
    assert_eq!(value("tickets"), "2", "{err}");
    assert_eq!(value("responded"), "1");
    assert_eq!(value("sla_first_response_achieved"), "1");
    assert_eq!(value("sla_first_response_breached"), "1");
    assert!(!err.contains("rejected"), "{err}");
}

/// A saved report's where replaced by a flag is said (3 tickets: billing by email,
/// billing by phone, sales by email; `--where channel=email` alone counts 2, not the
/// saved billing's 2 of another kind). `every = "none"` in a saved report drops the
/// file's top-level buckets; a second saved report named is said to be one; and a
/// saved rule on a section the folder lacks names the missing section.
/// SPEC §1's cron call, `cxm report --config weekly.toml --period last-week -o
/// FILE`, names no input: a file saving one report runs it (it was exit 2, "give a
/// DIR"), the command line's window over the saved one; a file saving several asks
/// which, naming them; a DIR given is read, not the saved report's.
#[test]
fn a_config_saving_one_report_runs_it_without_its_name() {
    let wd = Workdir::new();
    std::fs::create_dir(wd.path("data")).unwrap();
    // Week 2025-W10 is 3–9 March; the --now below puts last-week there.
    wd.write(
        "data/tickets.csv",
        b"ticket_id,created_at,team\n\
T1,2025-03-03T09:00:00Z,a\n\
T2,2025-03-09T23:00:00Z,a\n\
T3,2025-03-10T09:00:00Z,a\n\
T4,2025-02-28T09:00:00Z,a\n",
    );
    wd.write(
        "weekly.toml",
        b"[reports.weekly]\ndir = \"data\"\nperiod = \"2025-Q1\"\n",
    );
    let run = ["report", "--config", "weekly.toml", "--period", "last-week"];
    let out = wd
        .cxm()
        .args(run)
        .args(["--now", "2025-03-12T10:00:00Z", "-o", "weekly.csv"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows = parse_csv(&std::fs::read(wd.path("weekly.csv")).unwrap());
    let tickets: Vec<&str> = (rows.iter())
        .filter(|r| r["metric"] == "tickets")
        .map(|r| r["value"].as_str())
        .collect();
    assert_eq!(tickets, ["2"]);
    // Its own window when the command line gives none: the quarter's four tickets.
    let rows = parse_csv(&wd.csv_output(&["report", "--config", "weekly.toml"]));
    let tickets: Vec<&str> = (rows.iter())
        .filter(|r| r["metric"] == "tickets")
        .map(|r| r["value"].as_str())
        .collect();
    assert_eq!(tickets, ["4"]);
    wd.write(
        "two.toml",
        b"[reports.weekly]\ndir = \"data\"\n[reports.monthly]\ndir = \"data\"\n",
    );
    wd.cxm()
        .args(["report", "--config", "two.toml"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "two.toml saves 2 reports: name the one to run (monthly, weekly)",
        ));
    // Its one saved report reading nothing, or none saved: said of the file.
    wd.write("nodir.toml", b"[reports.x]\nperiod = \"2025-03\"\n");
    wd.cxm()
        .args(["report", "--config", "nodir.toml"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "nodir.toml: reports.x names no dir, tickets, surveys, subscriptions or events",
        ));
    // An event log alone is an input: with a config of policies and no saved report,
    // or a saved report of a log alone, the report runs (T1, T2 and T9).
    wd.write(
        "pol.toml",
        b"[sla_policies.nr]\nnext_reply = { default = \"1h\" }\n",
    );
    let log = fixture("events/events.csv");
    let rows = parse_csv(&wd.csv_output(&[
        "report",
        "--events",
        &log,
        "--config",
        "pol.toml",
        "--sla-policy",
        "nr",
        "--now",
        "2026-01-01T00:00:00Z",
    ]));
    let tickets: Vec<&str> = (rows.iter())
        .filter(|r| r["metric"] == "tickets")
        .map(|r| r["value"].as_str())
        .collect();
    assert_eq!(tickets, ["3"]);
    wd.write(
        "ev.toml",
        format!("[reports.ev]\nevents = {log:?}\n").as_bytes(),
    );
    let rows = parse_csv(&wd.csv_output(&[
        "report",
        "--config",
        "ev.toml",
        "--now",
        "2026-01-01T00:00:00Z",
    ]));
    assert!(
        rows.iter()
            .any(|r| r["metric"] == "tickets" && r["value"] == "3"),
        "{rows:?}"
    );
    wd.write("none.toml", b"tz = \"UTC\"\n");
    wd.cxm()
        .args(["report", "--config", "none.toml"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("none.toml saves no report"));
    // customers reads no event log: it does not offer one as an input.
    wd.cxm()
        .args(["customers", "--config", "none.toml"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "none.toml saves no report: give a DIR, --tickets, --surveys or --subscriptions",
        ));
    // customers runs it too; a saved fail_if on a metric it has no column for (the
    // report's sla_pct) is passed over, said; one it has is checked (c1's one ticket
    // breaks `tickets>0`: exit 4); one it cannot check is said to be the saved
    // report's.
    std::fs::create_dir(wd.path("cust")).unwrap();
    wd.write(
        "cust/tickets.csv",
        b"ticket_id,created_at,customer_id\nT1,2025-03-03T09:00:00Z,c1\n",
    );
    wd.write(
        "rule.toml",
        b"[reports.weekly]\ndir = \"cust\"\nfail_if = [\"sla_pct<50\", \"tickets>0\"]\n",
    );
    let out = (wd.cxm())
        .args(["customers", "--config", "rule.toml", "--format", "csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("the saved report's fail_if 'sla_pct<50' is passed over: customers has no metric 'sla_pct'")
            && err.contains("tickets>0"),
        "{err}"
    );
    assert_eq!(parse_csv(&out.stdout)[0]["tickets"], "1");
    wd.write(
        "rule.toml",
        b"[reports.weekly]\ndir = \"cust\"\nfail_if = \"customer_id>0\"\n",
    );
    wd.cxm()
        .args(["customers", "--config", "rule.toml"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "the rule is the saved report's fail_if, in rule.toml",
        ));
    // On the command line, a rule on a metric not there stops the run.
    wd.cxm()
        .args(["customers", "cust", "--fail-if", "sla_pct<50"])
        .assert()
        .code(2);
    // A saved rule on no figure of the report either (hours where it runs in
    // minutes) is a mistake, not one passed over.
    wd.write(
        "rule.toml",
        b"[reports.weekly]\ndir = \"cust\"\ntime_unit = \"minutes\"\nfail_if = \"first_response_median_hours>0\"\n",
    );
    wd.cxm()
        .args(["customers", "--config", "rule.toml"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "the rule is the saved report's fail_if, in rule.toml",
        ));
}

#[test]
fn saved_report_where_every_none_and_missing_sections_are_said() {
    let wd = Workdir::new();
    std::fs::create_dir(wd.path("week")).unwrap();
    wd.write(
        "week/tickets.csv",
        b"ticket_id,created_at,team,channel\n\
T1,2025-01-06T09:00:00Z,billing,email\n\
T2,2025-01-07T09:00:00Z,billing,phone\n\
T3,2025-01-08T09:00:00Z,sales,email\n",
    );
    wd.write(
        "c.toml",
        b"every = \"week\"\n\
[reports.billing]\ndir = \"week\"\nwhere = \"team=billing\"\nevery = \"none\"\n\
[reports.csat]\ndir = \"week\"\nfail_if = \"csat_pct<50\"\n",
    );
    let rows = parse_csv(&wd.csv_output(&["report", "--config", "c.toml", "billing"]));
    let tickets: Vec<(&str, &str)> = (rows.iter())
        .filter(|r| r["metric"] == "tickets")
        .map(|r| (r["period"].as_str(), r["value"].as_str()))
        .collect();
    assert_eq!(tickets, [("", "2")]);
    let out = wd
        .cxm()
        .args(["report", "--config", "c.toml", "billing", "--format", "csv"])
        .args(["--where", "channel=email"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("--where replaces the saved report's where (team=billing)"),
        "{err}"
    );
    wd.cxm()
        .args(["report", "--config", "c.toml", "billing", "csat"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "'csat' is a second saved report: give one saved report at a time",
        ));
    wd.cxm()
        .args(["report", "--config", "c.toml", "csat"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "the report has no surveys or churn section (no such data among its inputs)",
        ));
    wd.write(
        "bad.toml",
        b"[reports.r]\ndir = \"week\"\nevery = \"fortnight\"\n",
    );
    wd.cxm()
        .args(["report", "--config", "bad.toml", "r"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "expected one of `day`, `week`, `month`, `quarter`, `year`, `none`",
        ));
}

/// A `[map.tickets]` pair that names no column is said to be the config file's in
/// `surveys --tickets` and `inspect` too, not a `--map` never typed.
#[test]
fn a_config_map_error_names_its_table_beside_other_files() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket_id,created_at,Queue\nT1,2025-01-06T09:00:00Z,a\n",
    );
    wd.write(
        "s.csv",
        b"response_id,submitted_at,ticket_id,csat\nR1,2025-01-06T10:00:00Z,T1,5\n",
    );
    wd.write("c.toml", b"[map.tickets]\nteam = \"Queu\"\n");
    let said = "team = \"Queu\" in the [map.tickets] table of the --config file: no column 'Queu'";
    for args in [
        vec!["surveys", "s.csv", "--tickets", "t.csv", "--by", "team"],
        vec!["inspect", "t.csv"],
    ] {
        let out = wd
            .cxm()
            .args(&args)
            .args(["--config", "c.toml"])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(said), "{args:?}: {err}");
        assert!(!err.contains("--map team"), "{args:?}: {err}");
    }
    // A `--map customer_id=…` typed maps the responses (a survey field): the
    // tickets' pair of the same field stays the config's.
    wd.write(
        "s2.csv",
        b"response_id,submitted_at,ticket_id,csat,cid\nR1,2025-01-06T10:00:00Z,T1,5,C1\n",
    );
    wd.write("c2.toml", b"[map.tickets]\ncustomer_id = \"Cust\"\n");
    let out = wd
        .cxm()
        .args([
            "surveys",
            "s2.csv",
            "--tickets",
            "t.csv",
            "--by",
            "customer_id",
        ])
        .args(["--config", "c2.toml", "--map", "customer_id=cid"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("customer_id = \"Cust\" in the [map.tickets]"),
        "{err}"
    );
    assert!(!err.contains("--map customer_id=Cust"), "{err}");
}

/// A saved report's reversed window names the saved report's keys, not the file's
/// top-level ones (which are fine here).
#[test]
fn a_saved_reports_reversed_window_names_its_keys() {
    let wd = Workdir::new();
    wd.write("t.csv", b"ticket_id,created_at\nT1,2025-03-05T09:00:00Z\n");
    wd.write(
        "c.toml",
        b"since = 2025-01-01\nuntil = 2025-12-01\n[reports.r]\ntickets = \"t.csv\"\nsince = 2025-03-10\nuntil = 2025-03-01\n",
    );
    wd.cxm()
        .args(["report", "--config", "c.toml", "r"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "reports.r.until (2025-03-01 00:00:00 UTC) must be after reports.r.since (2025-03-10 00:00:00 UTC)",
        ));
}

/// A config file's line quoted in a TOML error has its control characters escaped:
/// an ESC byte there would colour the terminal (`\u{1b}` is written instead).
#[test]
fn a_toml_errors_quoted_line_is_escaped() {
    let wd = Workdir::new();
    wd.write("t.csv", b"ticket_id,created_at\n1,2025-01-01T00:00:00Z\n");
    wd.write("bad.toml", b"tz = \"U\x1b[31mTC\n");
    let out = wd
        .cxm()
        .args(["tickets", "t.csv", "--config", "bad.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains('\x1b'), "{err:?}");
    assert!(err.contains("tz = \"U\\u{1b}[31mTC"), "{err}");
}

/// A config value quoted in any message (an unknown zone) has its control characters
/// escaped too: no escape sequence reaches the terminal.
#[test]
fn a_config_values_control_characters_are_escaped_in_messages() {
    let wd = Workdir::new();
    wd.write("t.csv", b"ticket_id,created_at\n1,2025-01-01T00:00:00Z\n");
    wd.write("z.toml", b"tz = \"Foo\\u001b[31mBar\"\n");
    let out = wd
        .cxm()
        .args(["tickets", "t.csv", "--config", "z.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains('\x1b'), "{err:?}");
    assert!(err.contains("Foo\\u{1b}[31mBar"), "{err}");
}

/// A configured `by` over ticket files that spell the column two ways groups by it
/// as `--by` does, each file read by its own spelling (the output column named as
/// the first file spells it), rather than saying the first file has no such column
/// and leaving the run ungrouped.
#[test]
fn a_configured_by_spelled_two_ways_groups_as_by_does() {
    let w = Workdir::new();
    w.write(
        "a.csv",
        b"ticket_id,created_at,Region\n1,2025-01-01T00:00:00Z,eu\n",
    );
    w.write(
        "b.csv",
        b"ticket_id,created_at,REGION\n2,2025-01-02T00:00:00Z,us\n3,2025-01-03T00:00:00Z,us\n",
    );
    w.write("c.toml", b"by = \"region\"\n");
    let (out, err) = w.csv_and_stderr(&["tickets", "a.csv", "b.csv", "--config", "c.toml"]);
    let rows = parse_csv(&out);
    let groups: Vec<(&str, &str)> = (rows.iter())
        .map(|r| (r["Region"].as_str(), r["tickets"].as_str()))
        .collect();
    assert_eq!(groups, [("eu", "1"), ("us", "2")], "{err}");
    // Beside a file without it: not grouped, the file that lacks it named.
    w.write("c.csv", b"ticket_id,created_at\n3,2025-01-03T00:00:00Z\n");
    let (_, err) = w.csv_and_stderr(&["tickets", "a.csv", "c.csv", "--config", "c.toml"]);
    assert!(
        err.contains("by = 'region' in --config: c.csv has no such column; not grouped by it"),
        "{err}"
    );
}

/// stderr of `cxm tickets t.csv --config c.toml`, `config` written as c.toml, which
/// must be refused as a usage error (exit 2).
fn config_refused(wd: &Workdir, config: &[u8]) -> String {
    wd.write("c.toml", config);
    let out = wd
        .cxm()
        .args(["tickets", "t.csv", "--config", "c.toml"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{err}");
    err
}

/// An entry named with a dot (`[reports."q.4"]`) is named quoted, at its key's line:
/// it read `reports.q.4.tz` (report `q`?) with no line.
#[test]
fn an_entry_named_with_a_dot_is_quoted_and_located() {
    let wd = Workdir::new();
    wd.write("t.csv", b"ticket_id,created_at\nT1,2025-03-03T09:00:00Z\n");
    for (text, says) in [
        (
            "[reports.\"q.4\"]\ntz = \"Mars\"\n",
            "--config c.toml:2: reports.\"q.4\".tz: unknown time zone 'Mars'",
        ),
        (
            "[schedules.\"eu.de\"]\ntz = \"UTC\"\nmon = \"9:5-17:00\"\n",
            "--config c.toml:3: schedules.\"eu.de\".mon: '9:5-17:00' is not an interval",
        ),
    ] {
        let err = config_refused(&wd, text.as_bytes());
        assert!(err.contains(says), "{err}");
    }
}

/// A `by` naming a column twice (in any case) is refused at its line, as the file's
/// (it said `--by names 'team' twice`, a flag never given); a preset of the wrong
/// type says what is expected (it said no variant of an enum matched).
#[test]
fn a_by_twice_and_a_preset_of_the_wrong_type_are_named_at_their_line() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket_id,created_at,team\nT1,2025-03-03T09:00:00Z,a\n",
    );
    for (text, says) in [
        (
            "sla = \"1h\"\nby = [\"team\", \"Team\"]\n",
            "'Team' is given twice in 'team,Team'",
        ),
        (
            "preset = 5\n",
            "expected a preset's name (\"zendesk\") or a list of names",
        ),
    ] {
        let err = config_refused(&wd, text.as_bytes());
        assert!(err.contains(says), "{err}");
        let line = if text.starts_with("sla") { 2 } else { 1 };
        assert!(err.contains(&format!("at line {line}")), "{err}");
    }
}

/// A CRLF config's parse error quotes its line without the CR (it showed
/// `colour = 1\r`).
#[test]
fn a_crlf_configs_error_quotes_its_line_without_the_cr() {
    let wd = Workdir::new();
    wd.write("t.csv", b"ticket_id,created_at\nT1,2025-03-03T09:00:00Z\n");
    let err = config_refused(&wd, b"tz = \"UTC\"\r\ncolour = 1\r\n");
    assert!(
        err.contains("colour = 1\n") && !err.contains("\\r"),
        "{err}"
    );
}

/// A label `--na` makes a missing value is refused (its cells were blank, the label
/// never read, `meh` counted as no score without a word); without `--na` it reads:
/// 5 and meh = 3 give 1 satisfied of 2.
#[test]
fn a_label_that_na_marks_missing_is_refused() {
    let wd = Workdir::new();
    wd.write(
        "s.csv",
        b"response_id,submitted_at,csat\nR1,2025-01-01,5\nR2,2025-01-01,meh\n",
    );
    wd.write("l.toml", b"[labels.csat]\nmeh = 3\n");
    let out = wd
        .cxm()
        .args(["surveys", "s.csv", "--config", "l.toml", "--na", "meh"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("labels.csat.meh: 'meh' marks a missing value (--na)"),
        "{err}"
    );
    let rows = wd.csv_rows(&["surveys", "s.csv", "--config", "l.toml"]);
    assert_eq!(
        (
            rows[0]["csat_responses"].as_str(),
            rows[0]["csat_pct"].as_str()
        ),
        ("2", "50")
    );
}

/// A label holding a control character is quoted as TOML writes it, as other keys
/// are (`"Loved\u0001it"`), in each message about labels; a plain one keeps `'…'`.
#[test]
fn labels_with_control_characters_are_quoted_as_toml() {
    let wd = Workdir::new();
    wd.write("t.csv", b"ticket_id,created_at\nT1,2025-03-03T09:00:00Z\n");
    wd.write("s.csv", b"response_id,csat\nR1,5\n");
    let twice = config_refused(
        &wd,
        b"[labels.csat]\n\"Loved\\u0001it\" = 5\n\"loved\\u0001it\" = 4\n",
    );
    assert!(
        twice.contains(r#"c.toml:3: labels.csat: "Loved\u0001it" and "loved\u0001it" are one key"#),
        "{twice}"
    );
    for (label, shown) in [
        (r"Loved\u0001it", r#""Loved\u0001it""#),
        ("Loved it", "'Loved it'"),
    ] {
        wd.write(
            "c.toml",
            format!("[labels.csat]\n\"{label}\" = 9\n").as_bytes(),
        );
        let out = wd
            .cxm()
            .args(["surveys", "s.csv", "--config", "c.toml"])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(
            err.contains(&format!(
                "c.toml:2: labels.csat: {shown} = 9 is not a point of the 1-5 scale"
            )),
            "{err}"
        );
    }
}

/// A config `by` list reads each item as `--by` does: a blank item adds no column
/// (`["", "team"]` groups by team, `["", ""]` by nothing), and an empty name inside
/// an item is refused quoting the item as written (it quoted `,team`, no text of
/// the file).
#[test]
fn blank_items_of_a_by_list_add_no_column() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket_id,created_at,team\nT1,2025-03-03T09:00:00Z,a\nT2,2025-03-03T10:00:00Z,b\nT3,2025-03-03T11:00:00Z,a\n",
    );
    let run = |by: &str| {
        wd.write("c.toml", format!("by = {by}\n").as_bytes());
        wd.csv_rows(&["tickets", "t.csv", "--config", "c.toml"])
    };
    let rows = run(r#"["", "team"]"#);
    let counts: Vec<(&str, &str)> = (rows.iter())
        .map(|r| (r["team"].as_str(), r["tickets"].as_str()))
        .collect();
    assert_eq!(counts, [("a", "2"), ("b", "1")]);
    let rows = run(r#"["", ""]"#);
    assert_eq!((rows.len(), rows[0]["tickets"].as_str()), (1, "3"));
    assert!(!rows[0].contains_key("team"));
    let err = config_refused(&wd, b"by = [\"team,,channel\"]\n");
    assert!(
        err.contains("an empty column name in 'team,,channel'"),
        "{err}"
    );
}

/// A TOML error's caret sits under the fault as the line is printed, a character
/// shown escaped (a tab as `\t`, a zero-width space as `\u{200b}`) taking the
/// escape's columns: under `x` each time (it was one or ten columns off).
#[test]
fn toml_error_carets_sit_under_the_fault_as_printed() {
    let wd = Workdir::new();
    wd.write("t.csv", b"ticket_id,created_at\nT1,2025-01-01T00:00:00Z\n");
    for (name, text) in [
        ("tab.toml", "tz = \"\t\" x = 1\n"),
        ("zw.toml", "tz = \"\u{200b}\u{200b}\" x = 1\n"),
    ] {
        wd.write(name, text.as_bytes());
        let out = wd
            .cxm()
            .args(["tickets", "t.csv", "--config", name])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        let lines: Vec<&str> = err.lines().collect();
        let quoted = lines
            .iter()
            .position(|l| l.starts_with("1 | "))
            .unwrap_or_default();
        let caret = lines[quoted + 1].find('^').unwrap_or_default();
        assert_eq!(lines[quoted].get(caret..caret + 1), Some("x"), "{err}");
    }
}

/// `[scale] nps` is read as `--scale nps=` is: its one scale, 0-10, accepted (it was
/// an unknown field), any other refused naming it.
#[test]
fn the_nps_scale_is_accepted_in_a_config_as_on_the_command_line() {
    let wd = Workdir::new();
    wd.write(
        "s.csv",
        b"response_id,submitted_at,nps\nR1,2025-01-01T00:00:00Z,10\nR2,2025-01-01T00:00:00Z,3\n",
    );
    wd.write("ok.toml", b"[scale]\nnps = \"0-10\"\n");
    let rows = wd.csv_rows(&["surveys", "s.csv", "--config", "ok.toml"]);
    assert_num(&rows[0], "nps", 0.0);
    wd.write("bad.toml", b"[scale]\nnps = \"1-10\"\n");
    let out = wd
        .cxm()
        .args(["surveys", "s.csv", "--config", "bad.toml"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("scale.nps: unknown scale '1-10' (known: 0-10)"),
        "{err}"
    );
}

/// A configuration from an endless source is refused (it was read whole, until the
/// machine ran out of memory); one from a FIFO is read once, its messages' lines
/// found in what was read (the run hung, opening it a second time).
#[test]
fn a_config_is_read_once_and_not_without_end() {
    let wd = Workdir::new();
    wd.write("t.csv", b"ticket_id,created_at\nT1,2025-01-01T00:00:00Z\n");
    let out = wd
        .cxm()
        .args(["tickets", "t.csv", "--config", "/dev/zero"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--config /dev/zero: larger than 16 MiB"),
        "{err}"
    );
    let fifo = wd.path("c.fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    for (text, code) in [("tz = \"Mars/Phobos\"\n", 2), ("tz = \"UTC\"\n", 0)] {
        let path = fifo.clone();
        let writer = std::thread::spawn(move || std::fs::write(path, text));
        let out = wd
            .cxm()
            .args(["tickets", "t.csv", "--config"])
            .arg(&fifo)
            .timeout(std::time::Duration::from_secs(20))
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "{err}");
        if code == 2 {
            assert!(err.contains("c.fifo:1: tz: unknown time zone"), "{err}");
        }
        writer.join().unwrap().unwrap();
    }
}

/// A configuration of 20,000 labels is read in moments (each label's line was
/// searched for in the whole file, and each replaced the others one by one: four
/// minutes); two keys one word apart only by the Unicode form of an accent are one
/// key; a message quoting a 1 MB value is cut (it printed it whole).
#[test]
fn a_large_config_is_read_in_moments_and_said_in_short() {
    let wd = Workdir::new();
    let mut labels = String::from("[labels.csat]\n");
    for i in 0..20_000 {
        labels.push_str(&format!("\"label {i}\" = 3\n"));
    }
    labels.push_str("\"Great\" = 5\n");
    wd.write("labels.toml", labels.as_bytes());
    wd.write(
        "s.csv",
        b"response_id,submitted_at,csat\n1,2025-03-03,label 7\n2,2025-03-03,great\n",
    );
    let out = wd
        .cxm()
        .args([
            "surveys",
            "s.csv",
            "--config",
            "labels.toml",
            "--format",
            "csv",
        ])
        .timeout(std::time::Duration::from_secs(30))
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let rows = parse_csv(&out.stdout);
    assert_num(&rows[0], "csat_mean", 4.0);
    wd.write(
        "twice.toml",
        "[statuses]\n\"R\u{e9}solu\" = \"solved\"\n\"re\u{301}solu\" = \"open\"\n".as_bytes(),
    );
    wd.write("t.csv", b"ticket_id,created_at\nT1,2025-01-01T00:00:00Z\n");
    let out = wd
        .cxm()
        .args(["tickets", "t.csv", "--config", "twice.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("twice.toml:3: statuses:"), "{err}");
    assert!(err.contains("are one key"), "{err}");
    wd.write(
        "long.toml",
        format!("tz = \"{}\"\n", "x".repeat(1 << 20)).as_bytes(),
    );
    let out = wd
        .cxm()
        .args(["tickets", "t.csv", "--config", "long.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.len() < 5000, "{}", err.len());
    assert!(err.contains("more characters)"), "{}", &err[..200]);
}
