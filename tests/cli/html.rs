//! `--format html` (SPEC §12): one self-contained page per command and for `report`,
//! its charts, the same numbers as the CSV, and what a real browser shows.

use std::collections::HashMap;

use crate::common::{parse_csv, Workdir};

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/sample-data");

fn run(wd: &Workdir, args: &[&str]) -> Vec<u8> {
    let out = wd.cxm().args(args).arg("-q").output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn report_args(format: &str) -> Vec<String> {
    [
        "report", SAMPLE, "--period", "2025", "--every", "month", "--format", format,
    ]
    .map(String::from)
    .to_vec()
}

/// The cells of the first table after `heading`, row by row (header row first).
fn table_after(html: &str, heading: &str) -> Vec<Vec<String>> {
    let from = html.find(heading).unwrap_or_else(|| panic!("no {heading}"));
    let start = from + html[from..].find("<table").unwrap_or(0);
    let end = start + html[start..].find("</table>").unwrap_or(0);
    html[start..end]
        .split("<tr>")
        .skip(1)
        .map(|mut row| {
            let mut cells = Vec::new();
            // Each `<td …>text</td>` or `<th …>text</th>`.
            while let Some(open) = row.find("<t") {
                let cell = &row[open..];
                let (Some(gt), Some(close)) = (cell.find('>'), cell.find("</t")) else {
                    break;
                };
                cells.push(cell[gt + 1..close].to_string());
                row = &cell[close + 3..];
            }
            cells
        })
        .collect()
}

#[test]
fn the_report_page_is_self_contained_with_a_chart_per_headline() {
    let wd = Workdir::new();
    let args = report_args("html");
    let page = String::from_utf8(run(
        &wd,
        &args.iter().map(String::as_str).collect::<Vec<_>>(),
    ))
    .unwrap();
    assert!(page.starts_with("<!DOCTYPE html>"));
    // Mail-client safe: nothing fetched, nothing run.
    for external in [
        "<script", "src=", "href=", "url(", "@import", "<link", "<iframe",
    ] {
        assert!(!page.contains(external), "{external}");
    }
    // Tickets: tickets, first-response median, SLA %, the first-response bands;
    // surveys: CSAT %, NPS; churn %.
    assert_eq!(page.matches("<svg class=\"chart\"").count(), 7);
    for title in [
        "1st response median (h)",
        "sla %",
        "csat %",
        "nps",
        "churn %",
    ] {
        assert!(page.contains(&format!("<title>{title}</title>")), "{title}");
    }
}

/// Every ticket figure of the HTML table equals the CSV report's, as tables round it.
#[test]
fn the_page_shows_the_numbers_of_the_csv() {
    let wd = Workdir::new();
    let html_args = report_args("html");
    let page = String::from_utf8(run(
        &wd,
        &html_args.iter().map(String::as_str).collect::<Vec<_>>(),
    ))
    .unwrap();
    let csv_args = report_args("csv");
    let long = parse_csv(&run(
        &wd,
        &csv_args.iter().map(String::as_str).collect::<Vec<_>>(),
    ));
    let mut expected: HashMap<(String, String), f64> = HashMap::new();
    for r in long.iter().filter(|r| r["section"] == "tickets") {
        if let Ok(v) = r["value"].parse::<f64>() {
            expected.insert((r["period"].clone(), r["metric"].clone()), v);
        }
    }
    let rows = table_after(&page, "<h2>Tickets</h2>");
    let header = &rows[0];
    assert_eq!(header[0], "period");
    let csv_header = crate::common::csv_header(&run(
        &wd,
        &[
            "tickets",
            &format!("{SAMPLE}/tickets.csv"),
            "--period",
            "2025",
            "--every",
            "month",
        ],
    ));
    let mut checked = 0;
    for row in &rows[1..] {
        let period = &row[0];
        for (i, text) in row.iter().enumerate().skip(1) {
            let metric = &csv_header[i];
            let Some(&want) = expected.get(&(period.clone(), metric.clone())) else {
                assert_eq!(text, "–", "{period} {metric}");
                continue;
            };
            let got: f64 = text.replace(',', "").parse().unwrap_or(f64::NAN);
            assert!(
                (got - want).abs() <= 0.005 + 1e-9,
                "{period} {metric}: {got} vs {want}"
            );
            checked += 1;
        }
    }
    assert_eq!(rows.len(), 13, "a header and 12 months");
    assert!(checked > 150, "{checked}");
}

#[test]
fn every_command_writes_html() {
    let wd = Workdir::new();
    let t = format!("{SAMPLE}/tickets.csv");
    let s = format!("{SAMPLE}/surveys.csv");
    let u = format!("{SAMPLE}/subscriptions.csv");
    for (args, charts) in [
        (
            vec!["tickets", &t, "--every", "quarter", "--by", "channel"],
            4,
        ),
        (vec!["surveys", &s, "--period", "2025-Q3"], 0),
        (vec!["churn", &u, "--period", "2025"], 1),
        (vec!["churn", &u, "--survival", "--period", "2025"], 0),
        (vec!["customers", SAMPLE, "--period", "2025-Q2"], 0),
        (
            vec![
                "drivers",
                SAMPLE,
                "--period",
                "2025-Q2",
                "--outcome",
                "churn",
                "--factor",
                "tickets",
            ],
            0,
        ),
    ] {
        let path = wd.path("out.html");
        let mut all: Vec<&str> = args.clone();
        all.extend(["-o", path.to_str().unwrap()]);
        run(&wd, &all);
        let page = std::fs::read_to_string(&path).unwrap();
        // A table wider than the page scrolls in its own box.
        assert!(
            page.contains("<div class=\"wide\"><table class=\"cx\">"),
            "{args:?}"
        );
        // The page says what it covers: its window, and the files read.
        let window = match args.iter().position(|a| *a == "--period") {
            Some(i) => format!("[{}]", args[i + 1]),
            None => "window: all data".to_string(),
        };
        let meta = &page[page.find("<ul class=\"meta\">").expect("a meta list")..];
        let meta = &meta[..meta.find("</ul>").unwrap()];
        assert!(meta.contains(&window), "{args:?}: {meta}");
        assert!(meta.contains(".csv"), "{args:?}: {meta}");
        assert_eq!(
            page.matches("<svg class=\"chart\"").count(),
            charts,
            "{args:?}"
        );
    }
    // A cohort triangle is shaded by retention (age 0 of a cohort is 100 %).
    let page = String::from_utf8(run(
        &wd,
        &[
            "churn",
            &u,
            "--cohorts",
            "--since",
            "2025-01-01",
            "--format",
            "html",
        ],
    ))
    .unwrap();
    assert!(page.contains("style=\"background:#639bdc\""));
}

/// A real browser (headless Chromium from the system packages) renders the page: its
/// DOM holds the seven charts, and its screenshot is far from a blank page's. Needs
/// `chromium`; `.ci/run` installs it, and CI fails without it.
#[test]
fn a_browser_renders_the_report() {
    let Some(browser) = browser() else {
        return;
    };
    let wd = Workdir::new();
    let page = wd.path("report.html");
    let mut args = report_args("html");
    args.extend(["-o".to_string(), page.to_string_lossy().into_owned()]);
    run(&wd, &args.iter().map(String::as_str).collect::<Vec<_>>());
    let blank = wd.write("blank.html", b"<!DOCTYPE html><html><body></body></html>");
    let chrome = |extra: &[&str], url: &std::path::Path| {
        std::process::Command::new(browser)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
            ])
            .args(["--window-size=1200,2000"])
            .args(extra)
            .arg(format!("file://{}", url.display()))
            .output()
            .unwrap()
    };
    let dom = chrome(&["--dump-dom"], &page);
    let dom = String::from_utf8_lossy(&dom.stdout);
    assert_eq!(dom.matches("<svg class=\"chart\"").count(), 7, "{dom}");
    let shot = |name: &str, url: &std::path::Path| {
        let png = wd.path(name);
        chrome(&[&format!("--screenshot={}", png.display())], url);
        let bytes = std::fs::read(&png).unwrap_or_default();
        assert!(bytes.starts_with(b"\x89PNG"), "{name}: not a PNG");
        bytes.len()
    };
    let (report, empty) = (shot("report.png", &page), shot("blank.png", &blank));
    assert!(report > 10 * empty, "report {report} bytes, blank {empty}");
}

/// Printed, a weekly table keeps each bucket's label whole (`2025-W41`, not `2025-`
/// over `W41`) while its other cells wrap to fit the paper: read back from the PDF,
/// no line holds a week number alone.
#[test]
fn a_printed_page_keeps_bucket_labels_whole() {
    let Some(browser) = browser() else {
        return;
    };
    if std::process::Command::new("pdftotext")
        .arg("-v")
        .output()
        .is_err()
    {
        assert!(std::env::var_os("CI").is_none(), "CI needs pdftotext");
        eprintln!("pdftotext not installed: print check skipped");
        return;
    }
    let wd = Workdir::new();
    let page = wd.path("weekly.html");
    run(
        &wd,
        &[
            "report",
            SAMPLE,
            "--period",
            "2025-Q4",
            "--every",
            "week",
            "--by",
            "team",
            "--format",
            "html",
            "-o",
            page.to_str().unwrap(),
        ],
    );
    let pdf = wd.path("weekly.pdf");
    std::process::Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    let text = std::process::Command::new("pdftotext")
        .args(["-layout", pdf.to_str().unwrap(), "-"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    let week_alone = |l: &str| {
        let l = l.trim();
        l.len() == 3 && l.starts_with('W') && l[1..].bytes().all(|b| b.is_ascii_digit())
    };
    assert!(!text.lines().any(week_alone), "{text}");
    // 14 weeks (W40 to W01) of each of the five teams, each label whole.
    assert!(text.matches("2025-W4").count() >= 5 * 10, "{text}");
}

/// Headless Chromium, when installed (CI must have it).
fn browser() -> Option<&'static str> {
    let found = ["chromium", "chromium-browser"].into_iter().find(|b| {
        std::process::Command::new(b)
            .arg("--version")
            .output()
            .is_ok()
    });
    if found.is_none() {
        assert!(std::env::var_os("CI").is_none(), "CI needs chromium");
        eprintln!("chromium not installed: browser check skipped");
    }
    found
}

/// In a phone-sized window (Chromium's headless window is at least 500 px wide),
/// as a browser lays the page out: every chart ends inside the window and the page
/// does not scroll sideways; a 120-letter group name wraps within 40 % of the
/// window, leaving room for the figures beside it (it stays put while the table
/// scrolls). In a wide window a long name of words keeps 14 ems (182 px at 13 px)
/// to wrap in, not squeezed to a few letters a line beside a wide table.
#[test]
fn a_narrow_window_keeps_charts_and_figures_in_reach() {
    let Some(browser) = browser() else {
        return;
    };
    let wd = Workdir::new();
    let long = "Enterprise".repeat(12);
    let mut csv = String::from("ticket_id,created_at,team\n");
    let words = "Reimbursement and billing disputes for enterprise customers in EMEA";
    for (i, team) in [long.as_str(), words, "short"].iter().enumerate() {
        for month in 1..=3 {
            csv.push_str(&format!("T{i}{month},2025-0{month}-10T09:00:00Z,{team}\n"));
        }
    }
    let tickets = wd.write("t.csv", csv.as_bytes());
    let tickets = tickets.to_string_lossy().into_owned();
    let pages = [
        report_args("html"),
        [
            "tickets", &tickets, "--by", "team", "--every", "month", "--format", "html",
        ]
        .map(String::from)
        .to_vec(),
    ];
    // Written by the page into its own DOM, read back from the DOM Chromium dumps.
    let probe = "<script>document.body.setAttribute('data-probe', [innerWidth, \
        document.documentElement.scrollWidth, \
        Math.max(0, ...Array.from(document.querySelectorAll('svg.chart'), \
            s => Math.ceil(s.getBoundingClientRect().right))), \
        Math.max(0, ...Array.from(document.querySelectorAll('table.cx td:first-child'), \
            c => Math.ceil(c.getBoundingClientRect().width)))].join(' '))</script></body>";
    for (k, args) in pages.iter().enumerate() {
        let page = run(&wd, &args.iter().map(String::as_str).collect::<Vec<_>>());
        let page = String::from_utf8(page).unwrap().replace("</body>", probe);
        let file = wd.write(&format!("p{k}.html"), page.as_bytes());
        let [window, page_width, charts_end, first_column] = laid_out(browser, &file, 375);
        let probe = [window, page_width, charts_end, first_column];
        assert!(page_width <= window, "page {k}: {probe:?}");
        assert!(
            charts_end > 0.0 && charts_end <= window,
            "page {k}: {probe:?}"
        );
        assert!(
            first_column > 0.0 && first_column <= 0.4 * window + 16.0,
            "page {k}: {probe:?}"
        );
    }
    let wide = laid_out(browser, &wd.path("p1.html"), 1400);
    assert!(wide[3] >= 182.0, "{wide:?}");
}

/// What the probe of [`a_narrow_window_keeps_charts_and_figures_in_reach`] wrote
/// into `page`'s DOM in a window `width` wide: the window's width, the page's, where
/// the charts end, the widest first-column cell.
fn laid_out(browser: &str, page: &std::path::Path, width: u32) -> [f64; 4] {
    let probe = probed(browser, page, width);
    probe.try_into().unwrap_or_else(|p| panic!("{p:?}"))
}

/// The numbers a probe script wrote into `page`'s DOM (`data-probe`, apart by
/// spaces), as Chromium laid the page out in a window `width` wide.
fn probed(browser: &str, page: &std::path::Path, width: u32) -> Vec<f64> {
    let dom = std::process::Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
        ])
        .arg(format!("--window-size={width},2000"))
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&dom.stdout);
    let at = dom.find("data-probe=\"").unwrap_or_else(|| panic!("{dom}")) + 12;
    dom[at..]
        .split('"')
        .next()
        .unwrap_or_default()
        .split(' ')
        .map(|x| x.parse().unwrap())
        .collect()
}

/// A wide table (the report by team and month: 17 columns) squeezed into the page
/// keeps its short group names whole: no first cell of 16 letters or fewer takes
/// more than one line, where `billing` used to wrap as `billin`/`g`.
#[test]
fn short_group_names_are_never_broken() {
    let Some(browser) = browser() else {
        return;
    };
    let wd = Workdir::new();
    let mut args = report_args("html");
    args.extend(["--by".to_string(), "team".to_string()]);
    let page = run(&wd, &args.iter().map(String::as_str).collect::<Vec<_>>());
    let probe = concat!(
        "<script>const short = Array.from(document.querySelectorAll('table.cx td:first-child'))",
        ".filter(c => c.textContent.length <= 16);",
        "const lines = c => { const r = document.createRange(); r.selectNodeContents(c);",
        " return r.getClientRects().length; };",
        "document.body.setAttribute('data-probe',",
        " [short.length, short.filter(c => lines(c) > 1).length].join(' '))</script></body>"
    );
    let page = String::from_utf8(page).unwrap().replace("</body>", probe);
    let file = wd.write("p.html", page.as_bytes());
    let [checked, broken] = probed(browser, &file, 1200)[..] else {
        panic!("no probe");
    };
    assert!(checked >= 12.0, "{checked} cells");
    assert_eq!(broken, 0.0, "{broken} of {checked} short names wrapped");
}

/// The first-response bands and the arrivals by weekday and hour of the page, against
/// the same counts made here from the CSV (tickets created in 2025, UTC).
#[test]
fn the_tickets_shape_matches_a_count_of_the_csv() {
    use chrono::{Datelike, NaiveDateTime, Timelike};
    let wd = Workdir::new();
    let page = String::from_utf8(run(
        &wd,
        &[
            "tickets",
            &format!("{SAMPLE}/tickets.csv"),
            "--period",
            "2025",
            "--format",
            "html",
        ],
    ))
    .unwrap();
    let mut reader = csv::Reader::from_path(format!("{SAMPLE}/tickets.csv")).unwrap();
    let headers = reader.headers().unwrap().clone();
    let at = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (created, first) = (at("created_at"), at("first_response_at"));
    let parse = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%SZ").ok();
    let mut bands = [0i64; 5];
    let mut grid = [[0i64; 24]; 7];
    for record in reader.records() {
        let record = record.unwrap();
        let Some(c) = parse(&record[created]) else {
            continue;
        };
        if c.year() != 2025 {
            continue;
        }
        grid[c.weekday().num_days_from_monday() as usize][c.hour() as usize] += 1;
        if let Some(f) = parse(&record[first]) {
            let hours = (f - c).num_seconds() as f64 / 3600.0;
            let band = [1.0, 4.0, 8.0, 24.0]
                .iter()
                .take_while(|&&b| hours > b)
                .count();
            bands[band] += 1;
        }
    }
    let rows = table_after(&page, "<h2>First responses</h2>");
    let shown: Vec<i64> = rows[1..]
        .iter()
        .map(|r| r[1].replace(',', "").parse().unwrap())
        .collect();
    assert_eq!(shown, bands);
    let rows = table_after(&page, "<h2>Tickets by weekday and hour (UTC)</h2>");
    assert_eq!(rows[1][0], "Mon");
    for (day, row) in rows[1..].iter().enumerate() {
        let shown: Vec<i64> = row[1..].iter().map(|c| c.parse().unwrap()).collect();
        assert_eq!(shown, grid[day], "{}", row[0]);
    }
}

/// A page says the SLA target its `sla %` is of (a 4 h page is not a 1 h one), and
/// the report's header too, as `--sla` reads it (90m is 1.5h).
#[test]
fn the_page_names_its_sla_target() {
    let wd = Workdir::new();
    let tickets = format!("{SAMPLE}/tickets.csv");
    let page = run(
        &wd,
        &["tickets", &tickets, "--sla", "4h", "--format", "html"],
    );
    let page = String::from_utf8(page).unwrap();
    assert!(
        page.contains("SLA: first response within 4h (sla %)"),
        "{page}"
    );
    let md = run(
        &wd,
        &["report", SAMPLE, "--sla", "90m", "--format", "markdown"],
    );
    let md = String::from_utf8(md).unwrap();
    assert!(
        md.contains("- SLA: first response within 1.5h (sla %)"),
        "{md}"
    );
    // Where `sla %` is the export's own verdict (ServiceNow's `made_sla`), no target.
    let incidents = crate::common::fixture("real/servicenow_incidents_rest.csv");
    let page = run(
        &wd,
        &["tickets", &incidents, "--sla", "4h", "--format", "html"],
    );
    let page = String::from_utf8(page).unwrap();
    assert!(
        page.contains("SLA: the export&#39;s own verdict, &#39;made_sla&#39; (sla %)"),
        "{page}"
    );
    assert!(!page.contains("first response within"), "{page}");
}

/// With an event log alone, the page has the first-response bands and the arrivals
/// too, from the log's tickets: T1 answered in public after 5 h (its 10:30 note is
/// private), created Monday 10:00; T2 after 10 h, created Tuesday 10:00.
#[test]
fn a_log_alone_has_its_bands_and_arrivals() {
    let wd = Workdir::new();
    wd.write(
        "ev.csv",
        b"ticket_id,at,author_role,public,status\n\
T1,2025-01-06T10:00:00Z,customer,true,new\n\
T1,2025-01-06T10:30:00Z,agent,false,open\n\
T1,2025-01-06T15:00:00Z,agent,true,pending\n\
T1,2025-01-07T10:00:00Z,agent,true,solved\n\
T2,2025-01-07T10:00:00Z,customer,true,new\n\
T2,2025-01-07T20:00:00Z,agent,true,solved\n",
    );
    std::fs::create_dir(wd.path("folder")).unwrap();
    std::fs::copy(wd.path("ev.csv"), wd.path("folder/events.csv")).unwrap();
    for args in [
        &["tickets", "--events", "ev.csv", "--format", "html"][..],
        &["report", "folder", "--format", "html"][..],
    ] {
        let page = String::from_utf8(run(&wd, args)).unwrap();
        let rows = table_after(&page, "<h2>First responses</h2>");
        let shown: Vec<&str> = rows[1..].iter().map(|r| r[1].as_str()).collect();
        assert_eq!(shown, ["0", "0", "1", "1", "0"], "{args:?}");
        let rows = table_after(&page, "<h2>Tickets by weekday and hour (UTC)</h2>");
        let at_ten: Vec<&str> = rows[1..].iter().map(|r| r[11].as_str()).collect();
        assert_eq!(at_ten, ["1", "1", "0", "0", "0", "0", "0"], "{args:?}");
    }
}

/// A band holds its upper bound, as the SLA does: 59:59 and exactly 1 h are `0–1h`
/// (with the immediate answer: 3, and sla_pct 3 of 7), 4 h is `1–4h`, 8 h `4–8h`,
/// exactly 24 h `8–24h`, 24 h 1 s `>24h`.
#[test]
fn first_response_bands_hold_their_upper_bound() {
    let wd = Workdir::new();
    wd.write(
        "bands.csv",
        b"ticket_id,created_at,first_response_at
1,2025-01-06T00:00:00Z,2025-01-06T00:59:59Z
2,2025-01-06T00:00:00Z,2025-01-06T01:00:00Z
3,2025-01-06T00:00:00Z,2025-01-06T04:00:00Z
4,2025-01-06T00:00:00Z,2025-01-06T08:00:00Z
5,2025-01-06T00:00:00Z,2025-01-07T00:00:00Z
6,2025-01-06T00:00:00Z,2025-01-07T00:00:01Z
7,2025-01-06T00:00:00Z,2025-01-06T00:00:00Z
",
    );
    for unit in ["hours", "minutes", "seconds"] {
        let page = String::from_utf8(run(
            &wd,
            &[
                "tickets",
                "bands.csv",
                "--time-unit",
                unit,
                "--format",
                "html",
            ],
        ))
        .unwrap();
        let rows = table_after(&page, "<h2>First responses</h2>");
        let shown: Vec<&str> = rows[1..].iter().map(|r| r[1].as_str()).collect();
        assert_eq!(shown, ["3", "1", "1", "1", "1"], "{unit}");
    }
}

/// `report --compare previous` with buckets draws the previous window's buckets beside
/// the current ones: Q3's months as one more line on each line chart of Q4's.
#[test]
fn charts_carry_the_previous_period_with_compare() {
    let wd = Workdir::new();
    let page = String::from_utf8(run(
        &wd,
        &[
            "report",
            SAMPLE,
            "--period",
            "2025-Q4",
            "--every",
            "month",
            "--compare",
            "previous",
            "--format",
            "html",
        ],
    ))
    .unwrap();
    // Six line charts (tickets 3, surveys 2, churn 1), each with the previous line.
    assert_eq!(page.matches(">previous period</text>").count(), 6);
    assert!(page.contains("previous: 2025-07-01 00:00 to 2025-10-01 00:00"));
    // Q3's ticket counts, month by month, are the points of that line: the first
    // tickets chart's second polyline spans three months too.
    let q3 = parse_csv(&run(
        &wd,
        &[
            "tickets",
            &format!("{SAMPLE}/tickets.csv"),
            "--period",
            "2025-Q3",
            "--every",
            "month",
        ],
    ));
    assert_eq!(q3.len(), 3);
    let first_chart = &page[page.find("<title>tickets</title>").unwrap()..];
    let first_chart = &first_chart[..first_chart.find("</svg>").unwrap()];
    assert_eq!(first_chart.matches("<polyline").count(), 2);
}

/// The x axis is time: a month without tickets (February) keeps its place, so
/// March and April are the third and fourth of four evenly spaced buckets (x = 56 +
/// 304 × 2/3 and 56 + 304 on the 520-wide chart with a 56 left and 160 right margin),
/// and January, alone before the gap, is a dot.
#[test]
fn a_bucket_without_rows_keeps_its_place_on_the_x_axis() {
    let wd = Workdir::new();
    wd.write(
        "gap.csv",
        b"ticket_id,created_at\n1,2025-01-06T09:00:00Z\n2,2025-01-07T09:00:00Z\n3,2025-03-06T09:00:00Z\n4,2025-04-06T09:00:00Z\n",
    );
    let page = String::from_utf8(run(
        &wd,
        &["tickets", "gap.csv", "--every", "month", "--format", "html"],
    ))
    .unwrap();
    let chart = &page[page.find("<svg").unwrap()..];
    let chart = &chart[..chart.find("</svg>").unwrap()];
    assert!(chart.contains(">2025-02<"), "{chart}");
    let x = |fraction: f64| format!("{:.1}", 56.0 + 304.0 * fraction);
    let points = chart.split("points=\"").nth(1).unwrap();
    let points = &points[..points.find('"').unwrap()];
    let xs: Vec<&str> = points
        .split(' ')
        .map(|p| p.split(',').next().unwrap())
        .collect();
    assert_eq!(xs, [x(2.0 / 3.0), x(1.0)], "{chart}");
    assert!(
        chart.contains(&format!("<circle cx=\"{}\"", x(0.0))),
        "{chart}"
    );
}

/// Tickets without any first response (no such field in the data): the page draws
/// no first-response bands, where a chart of zeros would say none was answered in
/// any band; the weekday-and-hour grid (2 tickets) is still there.
#[test]
fn no_first_responses_draw_no_bands() {
    let wd = Workdir::new();
    let tickets = wd.write(
        "t.csv",
        b"ticket_id,created_at\nA,2025-01-06T10:00:00Z\nB,2025-01-07T10:00:00Z\n",
    );
    let page = String::from_utf8(run(
        &wd,
        &["tickets", tickets.to_str().unwrap(), "--format", "html"],
    ))
    .unwrap();
    assert!(!page.contains("First responses"), "{page}");
    assert!(
        !page.contains("responded tickets by first response"),
        "{page}"
    );
    assert!(page.contains("Tickets by weekday and hour"), "{page}");
}

/// A rule judges the same figures in every format: the page's response bands and
/// arrival hours are pictures, not metrics. Two tickets answered within the hour
/// leave the `>24h` band at 0, which `tickets<1` must not read as a stale export; and
/// an hour column (`3`) is no metric, in HTML as in CSV.
#[test]
fn rules_judge_the_same_figures_in_every_format() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket_id,created_at,first_response_at\nT1,2025-03-03T03:00:00Z,2025-03-03T03:10:00Z\nT2,2025-03-04T09:00:00Z,2025-03-04T09:20:00Z\n",
    );
    for out in ["r.csv", "r.html"] {
        let run = |rule: &str| {
            (wd.cxm())
                .args([
                    "report",
                    "--tickets",
                    "t.csv",
                    "-q",
                    "-o",
                    out,
                    "--fail-if",
                    rule,
                ])
                .output()
                .unwrap()
        };
        let ok = run("tickets<1");
        assert_eq!(
            ok.status.code(),
            Some(0),
            "{out}: {}",
            String::from_utf8_lossy(&ok.stderr)
        );
        let hour = run("3>0");
        let err = String::from_utf8_lossy(&hour.stderr);
        assert_eq!(hour.status.code(), Some(2), "{out}: {err}");
        assert!(err.contains("no metric '3'"), "{err}");
    }
}

/// `--by group` reads the file's `Group` column: the charts draw a line for each of
/// its groups (A and B), as `--by Group` does, not one line named "all".
#[test]
fn charts_split_by_a_group_asked_in_another_case() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket_id,created_at,Group\nT1,2025-01-05T10:00:00Z,A\nT2,2025-01-06T10:00:00Z,A\n\
T3,2025-02-05T10:00:00Z,B\nT4,2025-02-06T10:00:00Z,A\nT5,2025-03-06T10:00:00Z,B\n",
    );
    for by in ["group", "Group"] {
        let page = run(
            &wd,
            &[
                "tickets", "t.csv", "--by", by, "--every", "month", "--format", "html",
            ],
        );
        let page = String::from_utf8(page).unwrap();
        let chart = &page[page.find("<svg class=\"chart\"").unwrap()..];
        let chart = &chart[..chart.find("</svg>").unwrap()];
        assert!(chart.contains("<title>A</title>"), "{by}: {chart}");
        assert!(chart.contains("<title>B</title>"), "{by}: {chart}");
        assert!(!chart.contains("<title>all</title>"), "{by}: {chart}");
    }
}

/// A page mailed from a cron job shows the run's warnings: a window holding none of
/// the tickets says so on the page (as on stderr), and `-q` keeps both quiet.
#[test]
fn a_page_shows_the_warnings_of_its_run() {
    let wd = Workdir::new();
    wd.write("t.csv", b"ticket_id,created_at\n1,2025-01-05T10:00:00Z\n");
    let args = [
        "tickets",
        "t.csv",
        "--every",
        "month",
        "--since",
        "2026-01-01",
        "--until",
        "2026-02-01",
        "--format",
        "html",
    ];
    let out = wd.cxm().args(args).output().unwrap();
    assert!(out.status.success());
    let page = String::from_utf8(out.stdout).unwrap();
    let stale = "holds none of the tickets: tickets run from 2025-01-05 10:00 to 2025-01-05 10:00 (t.csv); a stale export?";
    assert!(String::from_utf8_lossy(&out.stderr).contains(stale));
    let listed = &page[page
        .find("<ul class=\"warnings\">")
        .expect("a warnings list")..];
    assert!(
        listed.starts_with("<ul class=\"warnings\"><li>warning: the window"),
        "{listed}"
    );
    assert!(listed.contains(stale), "{listed}");
    let quiet = run(&wd, &args);
    assert!(!String::from_utf8(quiet)
        .unwrap()
        .contains("class=\"warnings\""));
    // The report's page too, its sections' warnings among them.
    let out = wd
        .cxm()
        .args([
            "report",
            "--tickets",
            "t.csv",
            "--period",
            "2026-01",
            "--format",
            "html",
        ])
        .output()
        .unwrap();
    let page = String::from_utf8(out.stdout).unwrap();
    assert!(page.contains("<ul class=\"warnings\">"), "{page}");
    assert!(page.contains(stale), "{page}");
}

/// A surveys page compared with the previous window names that window (the quarter
/// before 2025-Q4); an empty result says "no rows" rather than showing a bare header.
#[test]
fn a_compared_page_names_the_previous_window_and_an_empty_one_says_so() {
    let wd = Workdir::new();
    let surveys = format!("{SAMPLE}/surveys.csv");
    let page = run(
        &wd,
        &[
            "surveys",
            &surveys,
            "--period",
            "2025-Q4",
            "--compare",
            "previous",
            "--format",
            "html",
        ],
    );
    let page = String::from_utf8(page).unwrap();
    assert!(
        page.contains("<li>compared with: 2025-07-01 00:00 to 2025-10-01 00:00 (end excluded) [2025-Q3], UTC (columns ending _prev)"),
        "{page}"
    );
    let page = run(
        &wd,
        &[
            "surveys", &surveys, "--period", "2019-03", "--every", "month", "--format", "html",
        ],
    );
    let page = String::from_utf8(page).unwrap();
    assert!(page.contains(">no rows</td>"), "{page}");
}

/// A `--fail-if` breach is on the page too (a page mailed by cron shows its alert),
/// for `report` and a single command; a rule that holds leaves no line. Two tickets:
/// `tickets>1` is breached, `tickets>2` is not.
#[test]
fn a_breach_is_shown_on_the_page() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket_id,created_at\nT1,2025-03-03T03:00:00Z\nT2,2025-03-04T09:00:00Z\n",
    );
    for command in [&["report", "--tickets", "t.csv"][..], &["tickets", "t.csv"]] {
        for (rule, breached) in [("tickets>1", true), ("tickets>2", false)] {
            let out = wd
                .cxm()
                .args(command)
                .args(["-q", "-o", "p.html", "--fail-if", rule])
                .output()
                .unwrap();
            assert_eq!(
                out.status.code(),
                Some(if breached { 4 } else { 0 }),
                "{out:?}"
            );
            let page = std::fs::read_to_string(wd.path("p.html")).unwrap();
            let line = format!(
                "<li>alert: --fail-if &#39;{}&#39; breached: ",
                rule.replace('>', "&gt;")
            );
            let shown = page.contains(&line) && page.contains("tickets = 2</li>");
            assert_eq!(shown, breached, "{command:?} {rule}: {page}");
            // In a list of its own, styled apart from the warnings.
            let listed = page.contains(&format!("<ul class=\"alerts\">{line}"));
            assert_eq!(listed, breached, "{command:?} {rule}: {page}");
        }
    }
}

/// A Markdown report lists what stderr said as the page does: a breach as an alert
/// (`tickets>1` over two tickets), a stale window as a warning.
#[test]
fn a_markdown_report_lists_the_breach_and_the_warnings() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket_id,created_at\nT1,2025-03-03T03:00:00Z\nT2,2025-03-04T09:00:00Z\n",
    );
    let out = wd
        .cxm()
        .args(["tickets", "t.csv", "-o", "p.md", "--fail-if", "tickets>1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4), "{out:?}");
    let page = std::fs::read_to_string(wd.path("p.md")).unwrap();
    assert!(
        page.contains(
            "\n### Warnings\n\n- alert: --fail-if 'tickets>1' breached: tickets: tickets = 2\n"
        ),
        "{page}"
    );
    let out = wd
        .cxm()
        .args([
            "report",
            "--tickets",
            "t.csv",
            "--period",
            "2025-W20",
            "-o",
            "r.md",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let page = std::fs::read_to_string(wd.path("r.md")).unwrap();
    assert!(
        page.contains("\n## Warnings\n\n- warning: the window"),
        "{page}"
    );
    assert!(page.contains("a stale export?"), "{page}");
}

/// A rule that tested nothing (no row has the metric) is said on the page too: the
/// page would otherwise look as if the rule held.
#[test]
fn a_rule_that_tested_nothing_is_on_the_page() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket_id,created_at\nT1,2025-03-03T03:00:00Z\nT2,2025-03-04T09:00:00Z\n",
    );
    let out = wd
        .cxm()
        .args([
            "tickets",
            "t.csv",
            "-o",
            "p.html",
            "--fail-if",
            "reopen_pct>1",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let page = std::fs::read_to_string(wd.path("p.html")).unwrap();
    assert!(
        page.contains(
            "reopen_pct has no value in any row of this report, so the rule tested nothing"
        ),
        "{page}"
    );
}

/// What a page would draw to no purpose is left out: a window without tickets says
/// so instead of a weekday × hour grid of zeros (2019: the sample's tickets are of
/// 2025), and a single bucket (churn of one month) draws no one-dot chart. Its table
/// is still there.
#[test]
fn an_empty_grid_and_a_one_dot_chart_are_left_out() {
    let wd = Workdir::new();
    let page = String::from_utf8(run(
        &wd,
        &["report", SAMPLE, "--period", "2019", "--format", "html"],
    ))
    .unwrap();
    let from = page.find("Tickets by weekday and hour").unwrap();
    let arrivals = &page[from..from + page[from..].find("<h2>Surveys").unwrap()];
    assert!(
        arrivals.contains("No tickets arrived in the window."),
        "{arrivals}"
    );
    assert!(!arrivals.contains("<table"), "{arrivals}");
    // 2025: the grid, and its busiest cells.
    let page = String::from_utf8(run(
        &wd,
        &["report", SAMPLE, "--period", "2025", "--format", "html"],
    ))
    .unwrap();
    assert_eq!(table_after(&page, "Tickets by weekday and hour").len(), 8);
    let subscriptions = format!("{SAMPLE}/subscriptions.csv");
    let one = String::from_utf8(run(
        &wd,
        &[
            "churn",
            &subscriptions,
            "--period",
            "2025-03",
            "--format",
            "html",
        ],
    ))
    .unwrap();
    assert!(!one.contains("<svg"), "{one}");
    assert_eq!(table_after(&one, "<table").len(), 2);
    let two = String::from_utf8(run(
        &wd,
        &[
            "churn",
            &subscriptions,
            "--period",
            "2025-Q1",
            "--format",
            "html",
        ],
    ))
    .unwrap();
    assert!(two.contains("<svg"));
    // One bucket beside a previous window of two (January 30–31, then February, as
    // 2025-03 less a day is compared): no line, and no line of the previous window
    // alone.
    let compared = String::from_utf8(run(
        &wd,
        &[
            "report",
            SAMPLE,
            "--every",
            "month",
            "--since",
            "2025-03-01",
            "--until",
            "2025-03-31",
            "--compare",
            "previous",
            "--format",
            "html",
        ],
    ))
    .unwrap();
    assert!(!compared.contains("<polyline"), "{compared}");
    assert!(!compared.contains("<circle"), "{compared}");
}

/// A cohort page says what its ages count (buckets of `--every`), and a table too
/// wide for the page shows that it scrolls: a shadow at its box's right edge.
#[test]
fn cohort_ages_have_their_unit_and_wide_tables_show_they_scroll() {
    let wd = Workdir::new();
    let subscriptions = format!("{SAMPLE}/subscriptions.csv");
    for (every, title) in [
        ("month", "Cohort retention % by age in months"),
        ("quarter", "Cohort retention % by age in quarters"),
    ] {
        let page = String::from_utf8(run(
            &wd,
            &[
                "churn",
                &subscriptions,
                "--cohorts",
                "--every",
                every,
                "--format",
                "html",
            ],
        ))
        .unwrap();
        assert!(page.contains(&format!("<h1>{title}</h1>")), "{page}");
        assert!(
            page.contains("div.wide{overflow-x:auto;max-width:100%;background:"),
            "{page}"
        );
    }
}

/// A window is shown to the minute, unless a bound falls within one: then to the
/// second (and its fraction), so that two windows a few seconds apart read apart.
#[test]
fn a_window_within_a_minute_is_shown_to_the_second() {
    let wd = Workdir::new();
    // On the local clock: midnight UTC was 23:15:30 in Monrovia (UTC−0:44:30) in 1950.
    let monrovia = String::from_utf8(run(
        &wd,
        &[
            "tickets",
            &format!("{SAMPLE}/tickets.csv"),
            "--since",
            "1950-01-01T00:00:00Z",
            "--until",
            "2025-03-02T00:00:00Z",
            "--tz",
            "Africa/Monrovia",
            "--format",
            "html",
        ],
    ))
    .unwrap();
    assert!(
        monrovia.contains("<li>window: 1949-12-31 23:15:30 to 2025-03-02 00:00:00 (end excluded), Africa/Monrovia</li>"),
        "{monrovia}"
    );
    let tickets = format!("{SAMPLE}/tickets.csv");
    let page = |since: &str| {
        String::from_utf8(run(
            &wd,
            &[
                "tickets",
                &tickets,
                "--since",
                since,
                "--until",
                "2025-03-02",
                "--format",
                "html",
            ],
        ))
        .unwrap()
    };
    assert!(page("2025-03-01T10:00:30Z").contains(
        "<li>window: 2025-03-01 10:00:30 to 2025-03-02 00:00:00 (end excluded), UTC</li>"
    ));
    assert!(page("2025-03-01T10:00:30.5Z").contains("<li>window: 2025-03-01 10:00:30.500 to"));
    assert!(page("2025-03-01T10:00:00Z")
        .contains("<li>window: 2025-03-01 10:00 to 2025-03-02 00:00 (end excluded), UTC</li>"));
}

/// Compared changes carry their arrow, and green or red where the move is better or
/// worse beyond noise. September: 30 CSAT responses, 27 satisfied (90 %); October:
/// 30, 15 satisfied (50 %): −40 points, pooled share 42/60 = 0.7, z = 0.4 ÷
/// √(0.7 × 0.3 × 2/30) = 3.38, p ≈ 0.0007: worse. NPS has 5 answers a month (all
/// promoters, then all detractors: 100 → −100): a small sample, so no colour, and
/// the CSAT change keeps its colour beside it. The CES mean rose from 3 to 6, each
/// side without spread: the test weighs it by the pooled variance, 30 threes and 30
/// sixes (1.5² × 60/59 = 2.288), z = 3 ÷ √(2.288 × 2/30) = 7.7: better.
#[test]
fn compared_changes_show_their_direction_and_colour() {
    let wd = Workdir::new();
    let mut csv = String::from("response_id,submitted_at,csat,nps,ces\n");
    for i in 0..30 {
        let day = i % 28 + 1;
        let csat = if i < 27 { 5 } else { 2 };
        let nps = |score: &str| {
            if i < 5 {
                score.to_string()
            } else {
                String::new()
            }
        };
        csv += &format!("S{i},2025-09-{day:02}T10:00:00Z,{csat},{},3\n", nps("10"));
        let csat = if i < 15 { 5 } else { 2 };
        csv += &format!("O{i},2025-10-{day:02}T10:00:00Z,{csat},{},6\n", nps("0"));
    }
    wd.write("s.csv", csv.as_bytes());
    let args = [
        "--period",
        "2025-10",
        "--compare",
        "previous",
        "--format",
        "html",
    ];
    let report = [&["report", "--surveys", "s.csv"][..], &args].concat();
    let page = String::from_utf8(run(&wd, &report)).unwrap();
    let worse = r#"<td class="n worse" title="worse, p < 0.05">"#;
    assert!(page.contains(&format!("{worse}-40.00 ▼</td>")), "{page}");
    assert!(page.contains(r#"<td class="n">-200.00 ▼</td>"#), "{page}");
    assert!(page.contains("▲ ▼ which way a figure moved"));
    let page = String::from_utf8(run(&wd, &[&["surveys", "s.csv"][..], &args].concat())).unwrap();
    assert!(page.contains(&format!("{worse}-40.00 ▼</td>")), "{page}");
    assert!(page.contains(r#"<td class="n">-200.00 ▼</td>"#), "{page}");
    // CES 3 → 6 on its 1–7 scale: +3.00, beyond noise.
    let better = r#"<td class="n better" title="better, p < 0.05">"#;
    assert!(page.contains(&format!("{better}+3.00 ▲</td>")), "{page}");
    assert!(
        page.contains(">yes</td>"),
        "small_sample for people: {page}"
    );
}
