//! Output formats and `-o`.

use predicates::prelude::*;

use crate::common::{csv_header, fixture, parse_csv, Workdir};

const METRICS: &[&str] = &[
    "tickets",
    "responded",
    "resolved",
    "open",
    "first_response_mean_hours",
    "first_response_median_hours",
    "first_response_p90_hours",
    "resolution_mean_hours",
    "resolution_median_hours",
    "resolution_p90_hours",
    "fcr_pct",
    "reopen_pct",
    "sla_pct",
    "replies_per_resolution",
];

#[test]
fn csv_header_is_groups_then_period_then_metrics_in_spec_order() {
    let wd = Workdir::new();
    let out = wd
        .cxm()
        .args([
            "tickets",
            &fixture("tickets/basic.csv"),
            "--by",
            "team,channel",
            "--every",
            "month",
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let mut want = vec!["team", "channel", "period"];
    want.extend_from_slice(METRICS);
    assert_eq!(csv_header(&out.stdout), want);
}

#[test]
fn csv_is_the_default_when_stdout_is_not_a_terminal() {
    let wd = Workdir::new();
    let out = wd
        .cxm()
        .args(["tickets", &fixture("tickets/basic.csv")])
        .output()
        .unwrap();
    assert_eq!(csv_header(&out.stdout), METRICS);
}

#[test]
fn json_is_an_array_of_objects_with_nulls() {
    let wd = Workdir::new();
    let out = wd
        .cxm()
        .args([
            "tickets",
            &fixture("tickets/fcr_flag.csv"),
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = v.as_array().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["tickets"], 5);
    assert_eq!(rows[0]["fcr_pct"], 50.0);
    assert!(rows[0]["sla_pct"].is_null());
    // keys keep column order
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.find("\"tickets\"").unwrap() < text.find("\"sla_pct\"").unwrap());
}

#[test]
fn ndjson_is_one_object_per_line() {
    let wd = Workdir::new();
    let out = wd
        .cxm()
        .args([
            "tickets",
            &fixture("tickets/basic.csv"),
            "--by",
            "team",
            "--format",
            "ndjson",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[1]["team"], "B");
    assert_eq!(lines[1]["tickets"], 3);
}

#[test]
fn markdown_is_a_pipe_table_with_units() {
    let wd = Workdir::new();
    wd.cxm()
        .args([
            "tickets",
            &fixture("tickets/basic.csv"),
            "--by",
            "team",
            "--format",
            "markdown",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("| team | tickets |"))
        .stdout(predicate::str::contains("1st response mean (h)"))
        .stdout(predicate::str::contains("| A | 4 | 3 | 2 | 2 | 1.17 |"));
}

#[test]
fn table_fits_100_columns_and_shows_units() {
    let wd = Workdir::new();
    let out = wd
        .cxm()
        .args([
            "tickets",
            &fixture("tickets/basic.csv"),
            "--by",
            "team",
            "--every",
            "month",
            "--format",
            "table",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.lines().all(|l| l.chars().count() <= 100),
        "too wide:\n{text}"
    );
    assert!(text.contains("(h)") && text.contains("sla %"), "{text}");
    // the group columns are repeated in each panel
    assert!(text.matches("2025-03").count() >= 4, "{text}");
}

#[test]
fn output_file_takes_its_format_from_the_extension() {
    let wd = Workdir::new();
    wd.cxm()
        .args(["tickets", &fixture("tickets/basic.csv"), "-o", "out.json"])
        .assert()
        .success()
        .stdout("");
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(wd.path("out.json")).unwrap()).unwrap();
    assert_eq!(v[0]["tickets"], 7);
    wd.cxm()
        .args(["tickets", &fixture("tickets/basic.csv"), "-o", "out.csv"])
        .assert()
        .success();
    assert_eq!(
        parse_csv(&std::fs::read(wd.path("out.csv")).unwrap())[0]["tickets"],
        "7"
    );
}

#[test]
fn a_failed_run_leaves_an_existing_output_file_untouched() {
    let wd = Workdir::new();
    let before = b"keep me\n";
    wd.write("report.csv", before);
    wd.cxm()
        .args([
            "tickets",
            &fixture("tickets/no_created.csv"),
            "-o",
            "report.csv",
        ])
        .assert()
        .code(3);
    assert_eq!(std::fs::read(wd.path("report.csv")).unwrap(), before);
    // and no temporary file is left behind
    let names: Vec<String> = std::fs::read_dir(wd.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into())
        .collect();
    assert_eq!(names, vec!["report.csv".to_string()]);
}

#[test]
fn spreadsheet_formulas_are_defused_in_csv() {
    let wd = Workdir::new();
    let f = wd.write(
        "t.csv",
        b"ticket_id,created_at,team\n1,2025-03-01T10:00:00Z,=cmd|' /C calc'!A0\n",
    );
    let out = wd
        .cxm()
        .args([
            "tickets",
            f.to_str().unwrap(),
            "--by",
            "team",
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    assert_eq!(parse_csv(&out.stdout)[0]["team"], "'=cmd|' /C calc'!A0");
}

/// A group value is never wrapped at its spaces while the table has room for it.
#[test]
fn group_values_stay_on_one_line() {
    let w = Workdir::new();
    w.write(
        "t.csv",
        b"ticket_id,created_at,region\n1,2025-01-01 10:00,North America West Coast\n2,2025-01-01 11:00,EU\n",
    );
    let out = w
        .cxm()
        .args(["tickets", "t.csv", "--by", "region", "--format", "table"])
        .env("COLUMNS", "100")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("North America West Coast"), "{text}");
}

/// Terminal tables at 80, 120 and 200 columns (SPEC §12): no line wider than the
/// terminal, no header word broken across lines, the group columns repeated in every
/// panel, thousands separated.
#[test]
fn table_layout_at_three_widths() {
    let sample = concat!(env!("CARGO_MANIFEST_DIR"), "/sample-data");
    let surveys = format!("{sample}/surveys.csv");
    let tickets = format!("{sample}/tickets.csv");
    let runs: [Vec<&str>; 2] = [
        vec!["tickets", &tickets, "--by", "team", "--every", "quarter"],
        vec![
            "surveys",
            &surveys,
            "--tickets",
            &tickets,
            "--by",
            "team",
            "--period",
            "2025-Q4",
            "--compare",
            "previous",
        ],
    ];
    for width in [80usize, 120, 200] {
        for args in &runs {
            let wd = Workdir::new();
            let csv = wd.csv_output(&[&args[..], &["-q"]].concat());
            let header = crate::common::csv_header(&csv);
            let out = wd
                .cxm()
                .args(args)
                .args(["--format", "table", "-q"])
                .env("COLUMNS", width.to_string())
                .output()
                .unwrap();
            let text = String::from_utf8(out.stdout).unwrap();
            assert!(
                text.lines().all(|l| l.chars().count() <= width),
                "{width}: too wide:\n{text}"
            );
            // Header words as people read them: each appears whole.
            for name in &header {
                for word in name.split('_') {
                    let shown = match word {
                        "first" => "1st",
                        "hours" => "(h)",
                        "pct" => "%",
                        w => w,
                    };
                    assert!(
                        text.contains(shown),
                        "{width}: '{shown}' of {name} broken:\n{text}"
                    );
                }
            }
            let panels = text.matches('┌').count();
            let with_team = text.lines().filter(|l| l.starts_with("│ team")).count();
            assert_eq!(with_team, panels, "{width}: team in every panel:\n{text}");
            if width == 80 {
                assert!(panels > 1, "{text}");
            }
        }
    }
    // 5,000 tickets: thousands separated in a table.
    let out = Workdir::new()
        .cxm()
        .args(["tickets", &tickets, "--format", "table"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("5,000"));
}

/// Surveys without CSAT: the sparkline is of their NPS (100 in February, −100 in March),
/// not of an empty CSAT column.
#[test]
fn the_sparkline_is_of_a_metric_with_values() {
    let w = Workdir::new();
    w.write(
        "nps.csv",
        b"submitted_at,nps\n2025-02-10T00:00:00Z,10\n2025-03-20T00:00:00Z,0\n",
    );
    let out = w
        .cxm()
        .args([
            "surveys", "nps.csv", "--every", "month", "--format", "table",
        ])
        .env("COLUMNS", "100")
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("nps by period:"), "{text}");
    assert!(!text.contains("csat % by period"), "{text}");
    let line = text
        .lines()
        .find(|l| l.trim_start().starts_with("all "))
        .unwrap();
    assert_eq!(
        line.trim_start()["all".len()..].trim_start(),
        "█▁",
        "{text}"
    );
}

/// Sparklines have one mark per bucket of the table's span: a group without a row for
/// February leaves a space there, so marks of the same month line up (a: 2 tickets in
/// January, none in February, 1 in March; b: 1, 1, 3). A header is never broken
/// inside a word, even where the group's values are shorter (`channel` over
/// `social`), and no line, sparklines included, is wider than the terminal.
#[test]
fn sparklines_line_up_by_bucket_and_fit_the_terminal() {
    let w = Workdir::new();
    w.write(
        "gap.csv",
        b"ticket_id,created_at,team,channel\n1,2025-01-06T09:00:00Z,a,social\n2,2025-01-07T09:00:00Z,a,social\n3,2025-03-06T09:00:00Z,a,social\n4,2025-02-06T09:00:00Z,b,social\n5,2025-01-06T09:00:00Z,b,social\n6,2025-03-06T09:00:00Z,b,social\n7,2025-03-07T09:00:00Z,b,social\n8,2025-03-08T09:00:00Z,b,social\n",
    );
    let table = |args: &[&str], width: usize| {
        let out = w
            .cxm()
            .args(args)
            .args(["--format", "table"])
            .env("COLUMNS", width.to_string())
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let text = table(
        &["tickets", "gap.csv", "--by", "team", "--every", "month"],
        100,
    );
    let marks = |group: &str| -> String {
        let line = text
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{group} ")))
            .unwrap_or_else(|| panic!("{text}"));
        line.trim_start()[group.len()..].trim_start().to_string()
    };
    // a: 2, –, 1 over its own range 1..2; b: 1, 1, 3.
    assert_eq!(marks("a"), "█ ▁", "{text}");
    assert_eq!(marks("b"), "▁▁█", "{text}");
    for width in [45usize, 60, 70] {
        let text = table(
            &[
                "tickets",
                "gap.csv",
                "--by",
                "team,channel",
                "--every",
                "week",
            ],
            width,
        );
        assert!(text.contains("channel"), "{width}:\n{text}");
        assert!(
            text.lines().all(|l| l.chars().count() <= width),
            "{width}: too wide:\n{text}"
        );
    }
}

/// A number column without values (no first response in the file) is still right-
/// aligned in Markdown, so the layout does not change from one week's export to the
/// next: the team column is left-aligned, each metric column right.
#[test]
fn empty_number_columns_keep_their_alignment() {
    let w = Workdir::new();
    w.write(
        "t.csv",
        b"ticket_id,created_at,team\n1,2025-01-06T09:00:00Z,a\n2,2025-01-06T10:00:00Z,b\n",
    );
    let out = w
        .cxm()
        .args([
            "tickets", "t.csv", "--by", "team", "--format", "markdown", "-q",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let rule = text
        .lines()
        .find(|l| l.starts_with("|:--") || l.starts_with("|--"))
        .unwrap_or_else(|| panic!("{text}"));
    let cells: Vec<&str> = rule.trim_matches('|').split('|').collect();
    assert_eq!(cells[0], ":---", "{text}");
    assert!(cells[1..].iter().all(|c| *c == "---:"), "{text}");
    assert!(cells.len() > 10, "{text}");
}

/// `-o week.csv.gz` is CSV, gzip-compressed as its name says: it decompresses to the
/// bytes written to stdout.
#[test]
fn a_gz_output_is_compressed() {
    use std::io::Read;
    let w = Workdir::new();
    let tickets = format!("{}/sample-data/tickets.csv", env!("CARGO_MANIFEST_DIR"));
    let plain = w.csv_output(&["tickets", &tickets, "--by", "team", "-q"]);
    w.cxm()
        .args([
            "tickets",
            &tickets,
            "--by",
            "team",
            "-q",
            "-o",
            "week.csv.gz",
        ])
        .assert()
        .success();
    let mut text = Vec::new();
    flate2::read::GzDecoder::new(std::fs::File::open(w.path("week.csv.gz")).unwrap())
        .read_to_end(&mut text)
        .unwrap();
    assert_eq!(text, plain);
}

/// A raw group column keeps its name for people (underscores as spaces): its
/// `_pct` is no percentage, so it is not shown as `%`. The metrics' are.
#[test]
fn a_raw_group_column_keeps_its_name_in_tables() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket_id,created_at,region_pct\nA,2025-03-03T09:00:00Z,x\n",
    );
    for format in ["markdown", "table", "html"] {
        let out = wd
            .cxm()
            .args(["tickets", "t.csv", "--by", "region_pct", "--format", format])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("region pct"), "{format}: {text}");
        assert!(!text.contains("region %"), "{format}: {text}");
        assert!(text.contains("fcr %"), "{format}: {text}");
    }
}

/// `-o` named for a format cxm does not write would get CSV under a misleading name:
/// refused before any work (exit 2, nothing written) unless --format says so.
#[test]
fn an_output_named_for_another_format_is_refused() {
    let wd = Workdir::new();
    let t = fixture("tickets/basic.csv");
    for name in ["r.xlsx", "r.tsv", "r.parquet.gz", "r.xlsm", "r.yaml"] {
        let out = wd.cxm().args(["tickets", &t, "-o", name]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{name}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("cxm does not write"));
        assert!(!wd.path(name).exists());
    }
    let out = wd
        .cxm()
        .args(["tickets", &t, "-o", "r.tsv", "--format", "csv"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(!parse_csv(&std::fs::read(wd.path("r.tsv")).unwrap()).is_empty());
    // Compressed other than by gzip: the bytes would be plain text under a name
    // that says bzip2 (a cron job's `weekly.json.bz2` held CSV); refused even with
    // --format, which says nothing of compression.
    for (name, format) in [
        ("w.json.bz2", None),
        ("w.csv.xz", None),
        ("w.json.zst", Some("json")),
    ] {
        let mut cmd = wd.cxm();
        cmd.args(["tickets", &t, "-o", name]);
        if let Some(f) = format {
            cmd.args(["--format", f]);
        }
        let out = cmd.output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{name}: {err}");
        assert!(err.contains("it compresses with gzip alone"), "{err}");
        assert!(!wd.path(name).exists());
    }
    // An archive holds files: one file alone is no .tar.gz, .tgz or .zip.
    for name in ["w.tgz", "w.tar.gz", "w.csv.zip", "w.tar"] {
        let out = wd.cxm().args(["tickets", &t, "-o", name]).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{name}: {err}");
        assert!(err.contains("archive, one file alone"), "{err}");
        assert!(!wd.path(name).exists());
    }
}

/// `COLUMNS=0` (a terminal that reports no size) is no width: the table is laid out
/// at 100 columns, as with no `COLUMNS`, not split into a panel per column.
#[test]
fn a_width_of_zero_is_the_default_width() {
    let wd = Workdir::new();
    let sample = format!("{}/sample-data/tickets.csv", env!("CARGO_MANIFEST_DIR"));
    let table = |columns: Option<&str>| {
        let mut cmd = wd.cxm();
        cmd.args([
            "tickets",
            sample.as_str(),
            "--by",
            "channel",
            "--format",
            "table",
            "-q",
        ]);
        if let Some(c) = columns {
            cmd.env("COLUMNS", c);
        }
        String::from_utf8(cmd.output().unwrap().stdout).unwrap()
    };
    let zero = table(Some("0"));
    assert_eq!(zero, table(Some("100")));
    assert!(zero.lines().all(|l| l.chars().count() <= 100), "{zero}");
}

/// ` c ` and `c` are two groups (as CSV, JSON and the table show them): Markdown
/// trimmed the cell and HTML collapsed the spaces, two rows both labelled `c`.
#[test]
fn groups_told_apart_by_spaces_stay_apart_on_pages() {
    let wd = Workdir::new();
    wd.write(
        "p.csv",
        b"ticket_id,created_at,team\nT1,2025-03-03T09:00:00Z,c\nT2,2025-03-03T10:00:00Z, c \nT3,2025-03-03T11:00:00Z, c \nT4,2025-03-03T12:00:00Z,a  b\n",
    );
    let page = |format: &str| {
        let out = wd
            .cxm()
            .args(["tickets", "p.csv", "--by", "team", "--format", format])
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    let md = page("markdown");
    assert!(md.contains("| &nbsp;c&nbsp; | 2 |"), "{md}");
    assert!(md.contains("| c | 1 |"), "{md}");
    assert!(md.contains("| a &nbsp;b | 1 |"), "{md}");
    let html = page("html");
    assert!(html.contains("<td>&nbsp;c&nbsp;</td>"), "{html}");
    assert!(html.contains("<td>c</td>"), "{html}");
}
