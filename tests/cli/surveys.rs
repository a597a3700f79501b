//! Survey metrics on hand-made fixtures (tests/fixtures/surveys). Every expected value
//! is worked out below.

use crate::common::{assert_empty, assert_num, csv_header, csv_rows, fixture, parse_csv, Workdir};

// long.csv, valid responses:
//   NPS  10, 9.0, " 9 ", 10, 9 → 5 promoters; 7, 8, 7 → 3 passives; 6, 0 → 2 detractors
//        (11 and 7.5 are rejected: off the scale, not a whole point)
//   CSAT 5, "Very satisfied" (5), 4, "SATISFIED" (4), 3, 2; blank skipped; 6 and "meh"
//        rejected
//   CES  7, "Somewhat agree" (5), 4, "agree" (6), 2; 8 rejected
// wide.csv holds the same cells in one row per response.
const EXPECTED_COLUMNS: &[&str] = &[
    "csat_responses",
    "csat_pct",
    "csat_low95",
    "csat_high95",
    "csat_mean",
    "response_rate_pct",
    "ces_responses",
    "ces_mean",
    "ces_easy_pct",
    "nps_responses",
    "promoters",
    "passives",
    "detractors",
    "nps",
    "nps_moe95",
];

fn check_hand_values(r: &std::collections::HashMap<String, String>) {
    // CSAT: top two boxes 5, 5, 4, 4 of 6; mean (5+5+4+4+3+2)/6 = 23/6.
    assert_eq!(r["csat_responses"], "6");
    assert_num(r, "csat_pct", 400.0 / 6.0);
    assert_num(r, "csat_mean", 23.0 / 6.0);
    // CES: (7+5+4+6+2)/5 = 4.8; ≥ 5: 7, 5, 6 → 3 of 5.
    assert_eq!(r["ces_responses"], "5");
    assert_num(r, "ces_mean", 4.8);
    assert_num(r, "ces_easy_pct", 60.0);
    // NPS: 100 × (5 − 2)/10 = 30; p = 0.5, d = 0.2:
    // 196 × sqrt((0.7 − 0.09)/10) = 196 × sqrt(0.061) = 48.4084.
    assert_eq!(r["nps_responses"], "10");
    assert_eq!(r["promoters"], "5");
    assert_eq!(r["passives"], "3");
    assert_eq!(r["detractors"], "2");
    assert_num(r, "nps", 30.0);
    assert_num(r, "nps_moe95", 48.4084);
}

#[test]
fn every_column_from_long_form() {
    let rows = csv_rows(&["surveys", &fixture("surveys/long.csv")]);
    assert_eq!(rows.len(), 1);
    check_hand_values(&rows[0]);
}

#[test]
fn wide_and_long_forms_give_identical_output() {
    let wd = Workdir::new();
    let run = |f: &str| {
        let out = wd
            .cxm()
            .args(["surveys", &fixture(f), "--format", "csv"])
            .output()
            .unwrap();
        assert!(out.status.success());
        (out.stdout, String::from_utf8(out.stderr).unwrap())
    };
    let (long, long_err) = run("surveys/long.csv");
    let (wide, wide_err) = run("surveys/wide.csv");
    assert_eq!(long, wide);
    assert_eq!(csv_header(&wide), EXPECTED_COLUMNS);
    check_hand_values(&parse_csv(&wide)[0]);
    // The same rejects, counted per measure, with the line of the first of each kind.
    for (err, lines) in [
        (
            &long_err,
            ["long.csv:19", "long.csv:27", "long.csv:25", "long.csv:26"],
        ),
        (
            &wide_err,
            ["wide.csv:9", "wide.csv:10", "wide.csv:7", "wide.csv:12"],
        ),
    ] {
        assert!(
            err.contains("1 rejected: score out of scale in csat"),
            "{err}"
        );
        assert!(err.contains("1 rejected: unknown label in csat"), "{err}");
        assert!(
            err.contains("; give the label its score under [labels.csat] in a --config file"),
            "{err}"
        );
        assert!(
            err.contains("1 rejected: score out of scale in ces"),
            "{err}"
        );
        // NPS 11 is off the scale; 7.5 lies between two of its points.
        assert!(
            err.contains("1 rejected: score out of scale in nps"),
            "{err}"
        );
        assert!(
            err.contains(
                "1 rejected: score between the scale's points (not a whole number) in nps"
            ),
            "{err}"
        );
        for l in lines {
            assert!(err.contains(l), "{l} not in {err}");
        }
    }
}

#[test]
fn out_of_scale_is_fatal_under_strict() {
    let wd = Workdir::new();
    wd.cxm()
        .args(["surveys", &fixture("surveys/long.csv"), "--strict"])
        .assert()
        .code(3)
        .stderr(predicates::str::contains("long.csv:19"));
}

#[test]
fn wider_scale_accepts_what_1_to_5_rejects() {
    // On 1–7 the 6 is valid and top-two-box (6–7); labels of the 1–5 scale are not.
    // Valid: 5, 4, 3, 2, 6 → satisfied 1 of 5; mean 20/5.
    let rows = csv_rows(&[
        "surveys",
        &fixture("surveys/wide.csv"),
        "--scale",
        "csat=1-7",
        "-q",
    ]);
    let r = &rows[0];
    assert_eq!(r["csat_responses"], "5");
    assert_num(r, "csat_pct", 20.0);
    assert_num(r, "csat_mean", 4.0);
}

/// Zoho Desk rates Good, Okay, Bad: Okay is a response, not a good one (2 of 4).
#[test]
fn zoho_okay_is_a_response_not_a_good_one() {
    let wd = Workdir::new();
    wd.write(
        "zoho.csv",
        b"Ticket Id,Rating,Created Time\n1,Good,2024-03-04 10:00:00\n2,Okay,2024-03-04 11:00:00\n3,Bad,2024-03-05 10:00:00\n4,Good,2024-03-05 11:00:00\n",
    );
    let rows = wd.csv_rows(&["surveys", "zoho.csv", "--strict"]);
    assert_eq!(rows[0]["csat_responses"], "4");
    assert_num(&rows[0], "csat_pct", 50.0);
}

/// Help Scout's API rates Great (5), Okay (3), Bad (1): 5, 5, 3, 1, 1, 1 is 2 satisfied
/// of 6 (33.33 %), mean 16 / 6, read so whether the Bads outnumber the Greats or
/// `--scale csat=1-5` is given.
#[test]
fn help_scout_bad_is_its_lowest_point() {
    let wd = Workdir::new();
    wd.write(
        "hs.csv",
        b"submitted_at,csat\n2025-01-01,Great\n2025-01-01,Great\n2025-01-01,Okay\n2025-01-01,Bad\n2025-01-01,Bad\n2025-01-01,Bad\n",
    );
    for scale in [&[][..], &["--scale", "csat=1-5"][..]] {
        let rows = wd.csv_rows(&[&["surveys", "hs.csv", "--strict"][..], scale].concat());
        assert_eq!(rows[0]["csat_responses"], "6", "{scale:?}");
        assert_num(&rows[0], "csat_pct", 100.0 / 3.0);
        assert_num(&rows[0], "csat_mean", 16.0 / 6.0);
    }
}

/// The scale of CSAT words is judged on the whole column where the sampled rows
/// leave it open: a Help Scout export sorted by rating, 2,500 `Bad` first and then 10
/// `Great` and 5 `Okay`, is Help Scout's (1, 5, 3): 10 of 2,515 satisfied, mean
/// (2,500 + 50 + 15) / 2,515; with `--scale csat=1-5` the same. A Zendesk one, 2,500
/// `Bad` then 10 `Good`, stays good-bad: 10 of 2,510.
#[test]
fn csat_words_past_the_sample_decide_the_scale() {
    let wd = Workdir::new();
    let file = |name: &str, runs: &[(&str, usize)]| {
        let mut text = String::from("response_id,submitted_at,csat\n");
        let mut id = 0;
        for (word, n) in runs {
            for _ in 0..*n {
                id += 1;
                text.push_str(&format!("{id},2025-03-01T10:00:00Z,{word}\n"));
            }
        }
        wd.write(name, text.as_bytes());
    };
    file("hs.csv", &[("Bad", 2500), ("Great", 10), ("Okay", 5)]);
    file("zd.csv", &[("Bad", 2500), ("Good", 10)]);
    // No answer at all first (`Offered`), then Help Scout's words: 100 Bad, 50 Okay,
    // 300 Great: 300 of 450 satisfied.
    file(
        "offered.csv",
        &[
            ("Offered", 2100),
            ("Bad", 100),
            ("Okay", 50),
            ("Great", 300),
        ],
    );
    let (out, err) = wd.csv_and_stderr(&["surveys", "offered.csv"]);
    assert!(!err.contains("rejected"), "{err}");
    let r = &parse_csv(&out)[0];
    assert_eq!(r["csat_responses"], "450");
    assert_num(r, "csat_pct", 200.0 / 3.0);
    // The same with scores after the `Offered` rows: 100 of 1–5 (20 each: 40 of 100
    // satisfied, mean 3), then one stray `Good`, rejected alone.
    let mut text = String::from("response_id,submitted_at,csat\n");
    for k in 0..2100 {
        text.push_str(&format!("O{k},2025-03-01T10:00:00Z,Offered\n"));
    }
    for k in 0..100 {
        text.push_str(&format!("S{k},2025-03-02T10:00:00Z,{}\n", 1 + k % 5));
    }
    text.push_str("X,2025-03-02T10:00:00Z,Good\n");
    wd.write("scores.csv", text.as_bytes());
    let (out, err) = wd.csv_and_stderr(&["surveys", "scores.csv"]);
    assert!(err.contains("1 rejected"), "{err}");
    let r = &parse_csv(&out)[0];
    assert_eq!(r["csat_responses"], "100");
    assert_num(r, "csat_pct", 40.0);
    assert_num(r, "csat_mean", 3.0);
    // Five-point labels after them (200 each of Very satisfied … Very dissatisfied:
    // 400 of 1,000 satisfied), then a stray `Bad`: the labels' scale.
    let mut text = String::from("response_id,submitted_at,csat\n");
    for k in 0..2100 {
        text.push_str(&format!("O{k},2025-03-01T10:00:00Z,Offered\n"));
    }
    let five = [
        "Very satisfied",
        "Satisfied",
        "Neutral",
        "Dissatisfied",
        "Very dissatisfied",
    ];
    for k in 0..1000 {
        text.push_str(&format!("L{k},2025-03-02T10:00:00Z,{}\n", five[k % 5]));
    }
    text.push_str("X,2025-03-02T10:00:00Z,Bad\n");
    wd.write("labels.csv", text.as_bytes());
    let (out, err) = wd.csv_and_stderr(&["surveys", "labels.csv"]);
    assert!(err.contains("1 rejected"), "{err}");
    let r = &parse_csv(&out)[0];
    assert_eq!(r["csat_responses"], "1000");
    assert_num(r, "csat_pct", 40.0);
    for extra in [&[][..], &["--scale", "csat=1-5"][..]] {
        let mut args = vec!["surveys", "hs.csv"];
        args.extend_from_slice(extra);
        let (out, err) = wd.csv_and_stderr(&args);
        assert!(!err.contains("rejected"), "{err}");
        let r = &parse_csv(&out)[0];
        assert_eq!(r["csat_responses"], "2515");
        assert_num(r, "csat_pct", 1000.0 / 2515.0);
        assert_num(r, "csat_mean", 2565.0 / 2515.0);
    }
    let (out, err) = wd.csv_and_stderr(&["surveys", "zd.csv"]);
    assert!(!err.contains("rejected"), "{err}");
    let r = &parse_csv(&out)[0];
    assert_eq!(r["csat_responses"], "2510");
    assert_num(r, "csat_pct", 1000.0 / 2510.0);
}

#[test]
fn good_bad_csat_and_absent_measures() {
    // Good, Bad, Good with comment, bad with comment → 2 good of 4; Offered and
    // Not Offered are not responses; Great is an unknown label (rejected).
    let wd = Workdir::new();
    let out = wd
        .cxm()
        .args([
            "surveys",
            &fixture("surveys/zendesk_csat.csv"),
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let rows = parse_csv(&out.stdout);
    let r = &rows[0];
    assert_eq!(r["csat_responses"], "4");
    assert_num(r, "csat_pct", 50.0);
    assert_empty(r, "csat_mean");
    // Wilson 95 % of 2 in 4 (as worked for the comparison below).
    assert_num(r, "csat_low95", 15.0039);
    assert_num(r, "csat_high95", 84.9961);
    // 4 answered, 1 `Offered` (sent, not answered; `Not Offered` was never sent).
    assert_num(r, "response_rate_pct", 80.0);
    for c in &EXPECTED_COLUMNS[6..] {
        assert_empty(r, c);
    }
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("unknown label in csat (first at ")
            && err.contains("zendesk_csat.csv:8, column 'Satisfaction Score', value 'Great')"),
        "{err}"
    );
}

#[test]
fn ticket_join_with_missing_tickets() {
    // join_tickets.csv: T1, T2 → alpha; T3 twice, the last row (gamma) wins.
    // Responses: T1 5, T2 3 → alpha 2, 1 satisfied, mean 4; T3 4 → gamma;
    // T9 1 and a blank ticket_id 5 → no ticket: empty key, 1 of 2 satisfied, mean 3.
    // The blank score of R6 is not a response, so it is not counted as unmatched; R5
    // names no ticket at all (relationship NPS), so it looks for none: one warning, T9.
    let wd = Workdir::new();
    let out = wd
        .cxm()
        .args([
            "surveys",
            &fixture("surveys/join_surveys.csv"),
            "--tickets",
            &fixture("surveys/join_tickets.csv"),
            "--by",
            "team",
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let rows = parse_csv(&out.stdout);
    let teams: Vec<&str> = rows.iter().map(|r| r["team"].as_str()).collect();
    assert_eq!(teams, ["alpha", "gamma", ""]);
    assert_eq!(rows[0]["csat_responses"], "2");
    assert_num(&rows[0], "csat_pct", 50.0);
    assert_num(&rows[0], "csat_mean", 4.0);
    assert_eq!(rows[1]["csat_responses"], "1");
    assert_num(&rows[1], "csat_pct", 100.0);
    assert_eq!(rows[2]["csat_responses"], "2");
    assert_num(&rows[2], "csat_pct", 50.0);
    assert_num(&rows[2], "csat_mean", 3.0);
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("1 row: no matching ticket for ticket_id (first at ")
            && err.contains("join_surveys.csv:5, column 'ticket_id', value 'T9'"),
        "{err}"
    );
    // Not a reject: --strict still succeeds.
    wd.cxm()
        .args([
            "surveys",
            &fixture("surveys/join_surveys.csv"),
            "--tickets",
            &fixture("surveys/join_tickets.csv"),
            "--by",
            "agent",
            "--strict",
        ])
        .assert()
        .success();
}

#[test]
fn ticket_field_without_tickets_says_how() {
    Workdir::new()
        .cxm()
        .args(["surveys", &fixture("surveys/long.csv"), "--by", "team"])
        .assert()
        .code(3)
        .stderr(predicates::str::contains("--tickets FILE"));
}

// compare.csv, window 2025-03-10 .. 2025-03-17 (week 11); previous 03-03 .. 03-10:
//   now:    CSAT 5, 5, 4, 4, 1 → 4 of 5 satisfied, mean 3.8; NPS 10, 9, 3 → p 2, d 1, n 3
//   before: CSAT 5, 4, 2, 1 → 2 of 4, mean 3;  NPS 10, 7, 0, 0 → p 1, pass 1, d 2, n 4
//   (02-20 and 03-17 are outside both windows; 03-09T23:00Z is in the previous one)
// CSAT z-test, pooled p = 6/9: se = sqrt(6/9 × 3/9 × (1/5 + 1/4)) = sqrt(0.1) = 0.316228,
//   z = (0.8 − 0.5)/0.316228 = 0.948683, p = 2(1 − Φ(0.948683)) = 0.342782.
// NPS z-test: now 1/3 with variance ((2/3 + 1/3) − (1/3)²)/3 = 0.296296;
//   before −1/4 with variance ((1/4 + 1/2) − (1/4)²)/4 = 0.171875;
//   se = sqrt(0.468171) = 0.684230, z = (1/3 + 1/4)/0.684230 = 0.852539,
//   p = 2(1 − Φ(0.852539)) = 0.393915.
// CSAT means, each side's sample variance: now 3.8, squared deviations 1.44 + 1.44 +
//   0.04 + 0.04 + 7.84 = 10.8, s² = 2.7; before 3, 4 + 1 + 1 + 4 = 10, s² = 10/3;
//   se = sqrt(2.7/5 + (10/3)/4) = 1.171893, z = 0.8/1.171893 = 0.682654, p = 0.494824.
fn check_comparison(r: &std::collections::HashMap<String, String>) {
    assert_eq!(r["csat_responses"], "5");
    assert_num(r, "csat_pct", 80.0);
    assert_eq!(r["csat_responses_prev"], "4");
    assert_num(r, "csat_pct_prev", 50.0);
    assert_num(r, "csat_pct_delta", 30.0);
    assert_num(r, "csat_mean_delta", 0.8);
    assert_num(r, "nps", 100.0 / 3.0);
    assert_num(r, "nps_prev", -25.0);
    assert_num(r, "nps_delta", 100.0 / 3.0 + 25.0);
    assert_eq!(r["promoters_prev"], "1");
    assert_eq!(r["passives_prev"], "1");
    assert_eq!(r["detractors_prev"], "2");
    assert_num(r, "csat_delta_p", 0.3428);
    assert_num(r, "nps_delta_p", 0.3939);
    assert_num(r, "csat_mean_delta_p", 0.4948);
    // Wilson 95 % of 4 in 5 (z² = 3.841459): centre (0.8 + 0.384146) ÷ 1.768292 =
    // 0.669656, half-width 1.959964 ÷ 1.768292 × √(0.032 + 0.038415) = 0.294121:
    // 37.5535 % to 96.3776 %; of 2 in 4 the previous window: 15.0039 % to 84.9961 %.
    assert_num(r, "csat_low95", 37.5535);
    assert_num(r, "csat_high95", 96.3776);
    assert_num(r, "csat_low95_prev", 15.0039);
    assert_num(r, "csat_high95_prev", 84.9961);
    // Fewer than 30 responses on either side.
    assert_eq!(r["small_sample"], "true");
    // No CES in the file: every CES column is empty, not zero.
    for c in [
        "ces_responses",
        "ces_responses_prev",
        "ces_mean_delta",
        "ces_mean_delta_p",
    ] {
        assert_empty(r, c);
    }
}

#[test]
fn compare_previous_window() {
    let rows = csv_rows(&[
        "surveys",
        &fixture("surveys/compare.csv"),
        "--since",
        "2025-03-10",
        "--until",
        "2025-03-17",
        "--compare",
        "previous",
    ]);
    assert_eq!(rows.len(), 1);
    check_comparison(&rows[0]);
}

#[test]
fn compare_previous_bucket() {
    let rows = csv_rows(&[
        "surveys",
        &fixture("surveys/compare.csv"),
        "--period",
        "2025-W11",
        "--every",
        "week",
        "--compare",
        "previous",
    ]);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["period"], "2025-W11");
    check_comparison(&rows[0]);
    // Without a window every bucket shows, each against the one before; the first
    // (2025-W08, 02-20) has nothing before it. W09 has no response, and shows as
    // such beside W08's one (a fall to nothing is a change to see).
    let all = csv_rows(&[
        "surveys",
        &fixture("surveys/compare.csv"),
        "--every",
        "week",
        "--compare",
        "previous",
    ]);
    let periods: Vec<&str> = all.iter().map(|r| r["period"].as_str()).collect();
    assert_eq!(
        periods,
        ["2025-W08", "2025-W09", "2025-W10", "2025-W11", "2025-W12"]
    );
    assert_eq!(all[0]["csat_responses_prev"], "0");
    assert_empty(&all[0], "csat_delta_p");
    assert_eq!(all[1]["csat_responses"], "0");
    assert_eq!(all[1]["csat_responses_prev"], "1");
    assert_num(&all[1], "csat_pct_prev", 0.0);
    assert_empty(&all[1], "csat_pct");
    // W10 follows an empty W09: zero previous responses, no p-value.
    assert_eq!(all[2]["csat_responses_prev"], "0");
    assert_empty(&all[2], "csat_delta_p");
    check_comparison(&all[3]);
}

/// By group and bucket, a group that stops answering keeps its row: A answers in
/// January only, so February shows A with 0 responses beside January's NPS of 100; B
/// answers both months, and March (in the window, no response) shows B's fall to
/// none beside February's −100. Past the window's last bucket, nothing.
#[test]
fn compare_by_bucket_keeps_a_group_that_goes_silent() {
    let wd = Workdir::new();
    wd.write(
        "gone.csv",
        b"submitted_at,team,nps\n2025-01-10T00:00:00Z,A,10\n2025-01-10T00:00:00Z,B,10\n2025-02-10T00:00:00Z,B,0\n",
    );
    let rows = wd.csv_rows(&[
        "surveys",
        "gone.csv",
        "--by",
        "team",
        "--every",
        "month",
        "--since",
        "2025-01-01",
        "--until",
        "2025-04-01",
        "--compare",
        "previous",
    ]);
    let keys: Vec<(&str, &str)> = (rows.iter())
        .map(|r| (r["team"].as_str(), r["period"].as_str()))
        .collect();
    assert_eq!(
        keys,
        [
            ("A", "2025-01"),
            ("A", "2025-02"),
            ("B", "2025-01"),
            ("B", "2025-02"),
            ("B", "2025-03")
        ]
    );
    assert_eq!(rows[1]["nps_responses"], "0");
    assert_eq!(rows[1]["nps_responses_prev"], "1");
    assert_num(&rows[1], "nps_prev", 100.0);
    assert_empty(&rows[1], "nps");
    assert_num(&rows[3], "nps_delta", -200.0);
    assert_eq!(rows[4]["nps_responses"], "0");
    assert_num(&rows[4], "nps_prev", -100.0);
}

/// A window starting mid-bucket: the buckets shown hold the window's rows, with or
/// without --compare. March from the 15th holds the 20th's 1 (the 1st's 5 is before
/// the window); it is compared with all of February (the 10th's 1), and April (the
/// 5th's 5; the 20th is after the window) with March as shown.
#[test]
fn compare_keeps_the_window_of_a_partial_first_bucket() {
    let wd = Workdir::new();
    wd.write(
        "s.csv",
        b"submitted_at,csat
2025-02-10T10:00:00Z,1
2025-03-01T10:00:00Z,5
2025-03-20T10:00:00Z,1
2025-04-05T10:00:00Z,5
2025-04-20T10:00:00Z,5
",
    );
    let window = [
        "--since",
        "2025-03-15",
        "--until",
        "2025-04-15",
        "--every",
        "month",
    ];
    let mut args = vec!["surveys", "s.csv", "-q"];
    args.extend(window);
    let plain = wd.csv_rows(&args);
    args.extend(["--compare", "previous"]);
    let compared = wd.csv_rows(&args);
    for rows in [&plain, &compared] {
        assert_eq!(rows[0]["period"], "2025-03");
        assert_eq!(rows[0]["csat_responses"], "1");
        assert_num(&rows[0], "csat_pct", 0.0);
        assert_eq!(rows[1]["csat_responses"], "1");
        assert_num(&rows[1], "csat_pct", 100.0);
    }
    assert_eq!(compared[0]["csat_responses_prev"], "1");
    assert_num(&compared[0], "csat_mean_prev", 1.0);
    assert_eq!(compared[1]["csat_responses_prev"], "1");
    assert_num(&compared[1], "csat_mean_prev", 1.0);
    assert_num(&compared[1], "csat_pct_delta", 100.0);
}

#[test]
fn compare_needs_a_bounded_window() {
    Workdir::new()
        .cxm()
        .args([
            "surveys",
            &fixture("surveys/compare.csv"),
            "--compare",
            "previous",
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("bounded window"));
}

#[test]
fn stdin_and_every_format() {
    let wd = Workdir::new();
    let input = std::fs::read(fixture("surveys/long.csv")).unwrap();
    let csv = wd
        .cxm()
        .args(["surveys", "-", "--format", "csv", "-q"])
        .write_stdin(input.clone())
        .output()
        .unwrap();
    assert!(csv.status.success());
    check_hand_values(&parse_csv(&csv.stdout)[0]);

    let json = wd
        .cxm()
        .args(["surveys", "-", "--format", "json", "-q"])
        .write_stdin(input.clone())
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v[0]["nps"].as_f64(), Some(30.0));
    assert_eq!(v[0]["promoters"].as_i64(), Some(5));

    let nd = wd
        .cxm()
        .args(["surveys", "-", "--format", "ndjson", "-q"])
        .write_stdin(input.clone())
        .output()
        .unwrap();
    let text = String::from_utf8(nd.stdout).unwrap();
    assert_eq!(text.lines().count(), 1);
    let v: serde_json::Value = serde_json::from_str(text.trim()).unwrap();
    assert_eq!(v["nps_moe95"].as_f64(), Some(48.4084));

    let md = wd
        .cxm()
        .args(["surveys", "-", "--format", "markdown", "-q"])
        .write_stdin(input.clone())
        .output()
        .unwrap();
    let text = String::from_utf8(md.stdout).unwrap();
    assert!(text.contains("| csat responses |"), "{text}");
    assert!(
        text.contains("| 48.4084 |") || text.contains("| 48.41 |"),
        "{text}"
    );

    let table = wd
        .cxm()
        .args(["surveys", "-", "--format", "table", "-q"])
        .env("COLUMNS", "200")
        .write_stdin(input)
        .output()
        .unwrap();
    let text = String::from_utf8(table.stdout).unwrap();
    assert!(text.contains("Surveys"), "{text}");
    assert!(text.contains("48.41"), "{text}");
}

/// Two group columns from the tickets: each response takes both from the last ticket
/// row of its id (join_tickets.csv: T3's last row is gamma/Dee). By hand: alpha/Ann
/// T1 5 (1 of 1 satisfied), alpha/Bob T2 3 (0 of 1), gamma/Dee T3 4 (1 of 1); T9 and
/// the blank id have no ticket: empty keys, 1 of 2.
#[test]
fn ticket_join_with_two_ticket_columns() {
    let rows = csv_rows(&[
        "surveys",
        &fixture("surveys/join_surveys.csv"),
        "--tickets",
        &fixture("surveys/join_tickets.csv"),
        "--by",
        "team,agent",
    ]);
    let keys: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r["team"].as_str(), r["agent"].as_str()))
        .collect();
    assert_eq!(
        keys,
        [
            ("alpha", "Ann"),
            ("alpha", "Bob"),
            ("gamma", "Dee"),
            ("", "")
        ]
    );
    let pct: Vec<f64> = rows
        .iter()
        .map(|r| r["csat_pct"].parse().unwrap())
        .collect();
    assert_eq!(pct, [100.0, 0.0, 100.0, 50.0]);
    assert_eq!(rows[3]["csat_responses"], "2");
}

/// `--compare previous` with a named quarter compares with the quarter before
/// (2024-Q4: Oct 1 – Dec 31, 92 days), not with the 90 days before 2025-Q1 (from
/// Oct 3): the Oct 2 answer belongs to the previous side. Previous: Oct 2 (1) and
/// Nov 1 (5) → 2 responses, 50 %; current: Feb 1 (5) → 1 response, 100 %.
#[test]
fn compare_previous_with_a_named_quarter_is_the_quarter_before() {
    let w = Workdir::new();
    w.write(
        "s.csv",
        b"response_id,submitted_at,csat\nr1,2024-10-02 10:00,1\nr2,2024-11-01 10:00,5\nr3,2025-02-01 10:00,5\n",
    );
    let rows = w.csv_rows(&[
        "surveys",
        "s.csv",
        "--period",
        "2025-Q1",
        "--compare",
        "previous",
        "-q",
    ]);
    assert_eq!(rows[0]["csat_responses"], "1");
    assert_eq!(rows[0]["csat_responses_prev"], "2");
    assert_num(&rows[0], "csat_pct_prev", 50.0);
    // A --since/--until window keeps the equal-length window just before.
    let rows = w.csv_rows(&[
        "surveys",
        "s.csv",
        "--since",
        "2025-01-01",
        "--until",
        "2025-04-01",
        "--compare",
        "previous",
        "-q",
    ]);
    assert_eq!(rows[0]["csat_responses_prev"], "1");
}

/// The Botanic NPS survey, unedited (tests/fixtures/real): Latin-1, R's `NA`, a 1–10
/// satisfaction column. The author's notebook publishes NPS 53.4 (`mean(promoter) -
/// mean(detractor)`, `na.rm=TRUE`); Python's csv module over the file counts 13,612
/// NPS answers (8,465 promoters, 1,194 detractors: 53.4161) and 13,893 satisfaction
/// answers, 7,303 of them 9 or 10 (52.566 %, mean 8.3494). Its encoding is told by
/// its bytes (`très` on line 3 is `tr\xe8s`), and said; its scale is asked for.
#[test]
fn botanic_nps_survey_runs_with_the_flag_it_asks_for() {
    let path = fixture("real/botanic_nps.csv.gz");
    let w = Workdir::new();
    let out = w.cxm().args(["surveys", &path]).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--scale csat=1-10"));
    let encoding_said =
        "botanic_nps.csv.gz: not UTF-8, so read as Windows-1252 (Latin-1): line 3 reads 'très'";
    for encoding in [None, Some("latin1")] {
        let out = w
            .cxm()
            .args(["surveys", &path, "--scale", "csat=1-10"])
            .args(encoding.map(|e| ["--encoding", e]).into_iter().flatten())
            .args(["--format", "csv", "-v"])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{err}");
        assert!(err.contains(" 0 rejected"), "{err}");
        assert_eq!(err.contains(encoding_said), encoding.is_none(), "{err}");
        let rows = parse_csv(&out.stdout);
        assert_eq!(rows[0]["nps_responses"], "13612");
        assert_eq!(rows[0]["promoters"], "8465");
        assert_eq!(rows[0]["detractors"], "1194");
        assert_num(&rows[0], "nps", (8465.0 - 1194.0) * 100.0 / 13612.0);
        assert!((rows[0]["nps"].parse::<f64>().unwrap() - 53.4).abs() < 0.05);
        assert_eq!(rows[0]["csat_responses"], "13893");
        assert_num(&rows[0], "csat_pct", 730_300.0 / 13893.0);
    }
}

/// Long form with other kinds of survey: the eNPS and PMF rows are neither used nor
/// rejected, and `-v` counts and names them. CSAT 5 and 2 (50 %), NPS 9 (100).
#[test]
fn other_survey_kinds_are_counted_apart() {
    let w = Workdir::new();
    w.write(
        "long.csv",
        b"response_id,submitted_at,survey,score
1,2025-03-03,csat,5
2,2025-03-03,csat,2
3,2025-03-03,nps,9
4,2025-03-03,enps,7
5,2025-03-03,pmf,very disappointed
6,2025-03-03, eNPS ,10
",
    );
    let out = w
        .cxm()
        .args(["surveys", "long.csv", "--format", "csv", "-v"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains(
            "6 rows read = 3 used + 0 rejected + 0 without a score + 3 of other survey kinds"
        ),
        "{err}"
    );
    assert!(
        err.contains("other kinds of survey, counted apart: enps, pmf, eNPS"),
        "{err}"
    );
    assert!(!err.contains("warning"), "{err}");
    let rows = parse_csv(&out.stdout);
    assert_num(&rows[0], "csat_pct", 50.0);
    assert_num(&rows[0], "nps", 100.0);
}

/// `--by survey` gives a measure one row however its rows spell it: `csat`, `CSAT`
/// and `Customer Satisfaction ` are csat (5, 2, 4: 2 of 3 satisfied); `NPS` and `nps`
/// are nps (10 and 8, a promoter and a passive: NPS 50).
#[test]
fn by_survey_names_each_measure_once() {
    let w = Workdir::new();
    w.write(
        "long.csv",
        b"submitted_at,survey,score\n2025-03-03,csat,5\n2025-03-03,CSAT,2\n\
2025-03-03,Customer Satisfaction ,4\n2025-03-03,NPS,10\n2025-03-03,nps,8\n",
    );
    let rows = w.csv_rows(&["surveys", "long.csv", "--by", "survey"]);
    let surveys: Vec<&str> = rows.iter().map(|r| r["survey"].as_str()).collect();
    assert_eq!(surveys, ["csat", "nps"]);
    assert_num(&rows[0], "csat_responses", 3.0);
    assert_num(&rows[0], "csat_pct", 200.0 / 3.0);
    assert_num(&rows[1], "nps_responses", 2.0);
    assert_num(&rows[1], "nps", 50.0);
}

/// The measures' long names with "Score", as survey tools write them: Customer
/// Effort Score 7 (of 1–7: easy), Customer Satisfaction Score 4 (satisfied), Net
/// Promoter Score 0 (a detractor).
#[test]
fn survey_kinds_named_in_full_with_score() {
    let w = Workdir::new();
    w.write(
        "long.csv",
        b"submitted_at,survey,score\n2025-03-01,customer effort score,7\n\
2025-03-01,Customer Satisfaction Score,4\n2025-03-01,Net Promoter Score,0\n",
    );
    let (out, err) = w.csv_and_stderr(&["surveys", "long.csv", "-v"]);
    assert!(!err.contains("other kinds"), "{err}");
    let rows = parse_csv(&out);
    assert_num(&rows[0], "ces_responses", 1.0);
    assert_num(&rows[0], "ces_easy_pct", 100.0);
    assert_num(&rows[0], "csat_pct", 100.0);
    assert_num(&rows[0], "nps", -100.0);
}

/// The older effort item, where 1 is the least effort (`--scale ces=5-1`): answers 1,
/// 2, 5 and "very low effort" (1) read as 5, 4, 1, 5 on the usual direction: mean 15/4,
/// easy (4 or 5) 3 of 4. On 7-1: 1 and 7 read as 7 and 1.
#[test]
fn reversed_ces_scales_flip_before_every_metric() {
    let w = Workdir::new();
    w.write(
        "ces.csv",
        b"response_id,ces\n1,1\n2,2\n3,5\n4,very low effort\n",
    );
    let rows = w.csv_rows(&["surveys", "ces.csv", "--scale", "ces=5-1"]);
    assert_eq!(rows[0]["ces_responses"], "4");
    assert_num(&rows[0], "ces_mean", 3.75);
    assert_num(&rows[0], "ces_easy_pct", 75.0);
    w.write("ces7.csv", b"response_id,ces\n1,1\n2,7\n3,2\n");
    let rows = w.csv_rows(&["surveys", "ces7.csv", "--scale", "ces=7-1"]);
    // 7, 1, 6: mean 14/3, easy (5 or more) 2 of 3.
    assert_num(&rows[0], "ces_mean", 14.0 / 3.0);
    assert_num(&rows[0], "ces_easy_pct", 200.0 / 3.0);
    // A point off the scale stays rejected after the flip.
    w.write("bad.csv", b"response_id,ces\n1,1\n2,9\n");
    let out = w
        .cxm()
        .args([
            "surveys", "bad.csv", "--scale", "ces=5-1", "--format", "csv",
        ])
        .output()
        .unwrap();
    let rows = parse_csv(&out.stdout);
    assert_eq!(rows[0]["ces_responses"], "1");
    assert!(String::from_utf8_lossy(&out.stderr).contains("out of scale"));
}

/// CES changes carry their p-value as CSAT's do: easy (≥ 5 of 7) 3 of 4 this week
/// against 1 of 4 the week before; pooled 4 of 8, se = √(0.25 × (1/4 + 1/4)) =
/// 0.353553, z = 0.5 ÷ 0.353553 = √2, p = erfc(1) = 0.157299. Four responses a side is
/// a small sample.
#[test]
fn ces_changes_have_p_values_and_small_samples_are_marked() {
    let w = Workdir::new();
    w.write(
        "ces.csv",
        b"response_id,submitted_at,ces
1,2025-03-11,7
2,2025-03-11,6
3,2025-03-12,5
4,2025-03-12,2
5,2025-03-04,7
6,2025-03-04,3
7,2025-03-05,2
8,2025-03-05,1
",
    );
    let rows = w.csv_rows(&[
        "surveys",
        "ces.csv",
        "--since",
        "2025-03-10",
        "--until",
        "2025-03-17",
        "--compare",
        "previous",
    ]);
    let r = &rows[0];
    assert_num(r, "ces_easy_pct", 75.0);
    assert_num(r, "ces_easy_pct_prev", 25.0);
    assert_num(r, "ces_delta_p", 0.1573);
    // The means 5 (7, 6, 5, 2: s² = 14/3) and 3.25 (7, 3, 2, 1: s² = 20.75/3):
    // se = sqrt((14/3)/4 + (20.75/3)/4) = 1.701715, z = 1.75/1.701715 = 1.028374,
    // p = 0.303774.
    assert_num(r, "ces_mean_delta", 1.75);
    assert_num(r, "ces_mean_delta_p", 0.3038);
    assert_eq!(r["small_sample"], "true");
    assert_empty(r, "csat_delta_p");
    assert_empty(r, "csat_mean_delta_p");
}

/// Grouping by a field the survey metrics also read (the long form's `survey`, or
/// `submitted_at`) groups by it rather than failing on a repeated column. By hand:
/// csat 5 and 2 (one satisfied of two), nps 10 (one promoter: +100).
#[test]
fn by_a_field_the_metrics_read() {
    let w = Workdir::new();
    w.write(
        "s.csv",
        b"response_id,submitted_at,survey,score\nR1,2025-03-01T10:00:00Z,csat,5\nR2,2025-03-01T10:00:00Z,csat,2\nR3,2025-03-02T10:00:00Z,nps,10\n",
    );
    let rows = w.csv_rows(&["surveys", "s.csv", "--by", "survey"]);
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["survey"], "csat");
    assert_num(&rows[0], "csat_responses", 2.0);
    assert_num(&rows[0], "csat_pct", 50.0);
    assert_eq!(rows[1]["survey"], "nps");
    assert_num(&rows[1], "promoters", 1.0);
    assert_num(&rows[1], "nps", 100.0);
    let rows = w.csv_rows(&["surveys", "s.csv", "--by", "submitted_at"]);
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["submitted_at"], "2025-03-01T10:00:00Z");
    assert_num(&rows[0], "csat_responses", 2.0);
}

/// Ticket ids longer than 15 bytes (kept apart from the join's table entries) join as
/// short ones do. Worked by hand: the UUID ticket and the 16-byte one are alpha, the
/// 15-byte one beta; responses 5 and 4 → alpha 2, both satisfied, mean 4.5; 2 → beta,
/// none satisfied; the UUID that differs in its last character matches nothing.
#[test]
fn long_ticket_ids_join() {
    let wd = Workdir::new();
    let uuid = "3f2b8c1e-9d4a-4f6b-8e2c-1a5d7c9e0b13";
    let tickets = wd.write(
        "t.csv",
        format!(
            "ticket_id,created_at,team\n{uuid},2025-03-03T09:00:00Z,alpha\n\
             1234567890123456,2025-03-03T09:00:00Z,alpha\n\
             123456789012345,2025-03-03T09:00:00Z,beta\n"
        )
        .as_bytes(),
    );
    let surveys = wd.write(
        "s.csv",
        format!(
            "response_id,ticket_id,submitted_at,survey,score\n\
             R1,{uuid},2025-03-04T09:00:00Z,csat,5\n\
             R2,1234567890123456,2025-03-04T09:00:00Z,csat,4\n\
             R3,123456789012345,2025-03-04T09:00:00Z,csat,2\n\
             R4,3f2b8c1e-9d4a-4f6b-8e2c-1a5d7c9e0b14,2025-03-04T09:00:00Z,csat,1\n"
        )
        .as_bytes(),
    );
    let rows = wd.csv_rows(&[
        "surveys",
        surveys.to_str().unwrap(),
        "--tickets",
        tickets.to_str().unwrap(),
        "--by",
        "team",
    ]);
    let teams: Vec<&str> = rows.iter().map(|r| r["team"].as_str()).collect();
    assert_eq!(teams, ["alpha", "beta", ""]);
    assert_eq!(rows[0]["csat_responses"], "2");
    assert_num(&rows[0], "csat_pct", 100.0);
    assert_num(&rows[0], "csat_mean", 4.5);
    assert_eq!(rows[1]["csat_responses"], "1");
    assert_num(&rows[1], "csat_pct", 0.0);
    assert_eq!(rows[2]["csat_responses"], "1");
    assert_num(&rows[2], "csat_mean", 1.0);
}

/// A response on two rows (the same export given twice) is counted twice, and said:
/// r1's CSAT repeats; r1's NPS row is another survey of the same response, no repeat.
/// On the Olist reviews, 28 review ids are on more than one row (counted with
/// Python's csv module over the same file).
#[test]
fn repeated_responses_are_warned_about() {
    let wd = Workdir::new();
    wd.write(
        "s.csv",
        b"response_id,submitted_at,survey,score\n\
          r1,2025-03-01T10:00:00Z,csat,5\nr1,2025-03-01T10:00:00Z,nps,9\n\
          r2,2025-03-01T11:00:00Z,csat,1\nr1,2025-03-01T10:00:00Z,csat,5\n",
    );
    let run = |file: &str| {
        let out = wd
            .cxm()
            .args(["surveys", file, "--format", "csv"])
            .output()
            .unwrap();
        assert!(out.status.success());
        (
            crate::common::parse_csv(&out.stdout),
            String::from_utf8_lossy(&out.stderr).to_string(),
        )
    };
    let (rows, err) = run("s.csv");
    assert!(
        err.contains("1 response id is on more than one row for the same survey"),
        "{err}"
    );
    assert_eq!(rows[0]["csat_responses"], "3");
    let (_, err) = run(&fixture("real/olist_order_reviews.csv.gz"));
    assert!(
        err.contains("28 response ids are on more than one row"),
        "{err}"
    );
}

/// One stray `bad` among a hundred 1–5 scores (1 to 5, twenty of each: 40 satisfied)
/// does not switch the column to the good/bad scale: the hundred count, the label is
/// the one rejected value.
#[test]
fn a_stray_label_does_not_change_a_numeric_scale() {
    let wd = Workdir::new();
    let mut text = String::from("submitted_at,csat\n");
    for i in 0..100 {
        text.push_str(&format!("2025-03-01T10:00:00Z,{}\n", i % 5 + 1));
    }
    text.push_str("2025-03-01T10:00:00Z,bad\n");
    wd.write("flip.csv", text.as_bytes());
    let out = wd
        .cxm()
        .args(["surveys", "flip.csv", "--format", "csv"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("1 rejected"), "{err}");
    let rows = parse_csv(&out.stdout);
    assert_eq!(rows[0]["csat_responses"], "100");
    assert_num(&rows[0], "csat_pct", 40.0);
}

/// Scores written with a decimal comma (a French spreadsheet: `;` between cells) read
/// as numbers, in wide and in long form, labels beside them as labels. Wide: CSAT
/// 5, 4, 3, 1, 5: 3 of 5 satisfied (60 %), mean 18 ÷ 5 = 3.6; CES 7, 6, 4, 2 (and
/// `Strongly agree`, 7 on the default labels): mean 26 ÷ 5 = 5.2. Long: CSAT 5 and 2, mean 3.5.
#[test]
fn scores_with_a_decimal_comma_are_numbers() {
    let wd = Workdir::new();
    wd.write(
        "wide.csv",
        "response_id;submitted_at;csat;ces\n\
r1;2025-03-03T10:00:00Z;5,0;7\n\
r2;2025-03-03T11:00:00Z;4,0;6,0\n\
r3;2025-03-04T12:00:00Z;3,0;4\n\
r4;2025-03-05T13:00:00Z;1,0;2,0\n\
r5;2025-03-06T14:00:00Z;5,0;Strongly agree\n"
            .as_bytes(),
    );
    let rows = wd.csv_rows(&["surveys", "wide.csv"]);
    assert_eq!(rows[0]["csat_responses"], "5");
    assert_num(&rows[0], "csat_pct", 60.0);
    assert_num(&rows[0], "csat_mean", 3.6);
    assert_eq!(rows[0]["ces_responses"], "5");
    assert_num(&rows[0], "ces_mean", 5.2);
    wd.write(
        "long.csv",
        b"response_id;submitted_at;survey;score\n\
r1;2025-03-03T10:00:00Z;csat;5,0\n\
r2;2025-03-03T11:00:00Z;csat;2,0\n",
    );
    let rows = wd.csv_rows(&["surveys", "long.csv"]);
    assert_eq!(rows[0]["csat_responses"], "2");
    assert_num(&rows[0], "csat_mean", 3.5);
    // They count as numbers in choosing the scale too: three numbers beside two
    // good/bad labels mean 1-5 (5, 4 and 1: 2 of 3 satisfied, mean 10 ÷ 3), and a
    // 1-10 column stops the run, naming its scale.
    wd.write(
        "mixed.csv",
        b"response_id;submitted_at;csat\n1;2025-01-01;5,0\n2;2025-01-01;4,0\n\
3;2025-01-01;1,0\n4;2025-01-01;bad\n5;2025-01-01;good\n",
    );
    let out = wd
        .cxm()
        .args(["surveys", "mixed.csv", "--format", "csv"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("2 rejected: unknown label in csat"));
    let rows = parse_csv(&out.stdout);
    assert_eq!(rows[0]["csat_responses"], "3");
    assert_num(&rows[0], "csat_pct", 200.0 / 3.0);
    assert_num(&rows[0], "csat_mean", 10.0 / 3.0);
    wd.write(
        "ten.csv",
        b"response_id;submitted_at;csat\n1;2025-01-01;9,0\n2;2025-01-01;8,0\n\
3;2025-01-01;10,0\n4;2025-01-01;7,0\n5;2025-01-01;3,0\n",
    );
    wd.cxm()
        .args(["surveys", "ten.csv"])
        .assert()
        .code(3)
        .stderr(predicates::str::contains("(e.g. '9,0')"))
        .stderr(predicates::str::contains("give --scale csat=1-10"));
    // Of two files, the one holding the example is named: 5 of 8 scores are off 1-5,
    // all in the second file.
    wd.write(
        "low.csv",
        b"submitted_at,csat\n2025-03-01,5\n2025-03-01,4\n2025-03-01,1\n",
    );
    wd.write(
        "high.csv",
        b"submitted_at,csat\n2025-03-01,9\n2025-03-01,10\n2025-03-01,8\n2025-03-01,10\n2025-03-01,7\n",
    );
    wd.cxm()
        .args(["surveys", "low.csv", "high.csv"])
        .assert()
        .code(3)
        .stderr(predicates::str::contains(
            "high.csv: column 'csat' (csat): 5 of 8 sampled scores (e.g. '9')",
        ));
}

/// Long form: the scale of each measure is judged from its own rows' scores, not from
/// the score column that mixes every measure. Twenty CSAT scores 1 to 5 (four of
/// each: 8 satisfied, 40 %, mean 60 ÷ 20 = 3), one stray `bad` (the one rejected
/// value) and ten NPS 9s (all promoters, NPS 100).
#[test]
fn long_form_scales_are_judged_per_measure() {
    let wd = Workdir::new();
    let mut text = String::from("response_id,submitted_at,survey,score\n");
    for i in 0..20 {
        text.push_str(&format!("R{i},2025-01-05T00:00:00Z,csat,{}\n", i % 5 + 1));
    }
    text.push_str("R99,2025-01-05T00:00:00Z,csat,bad\n");
    for i in 0..10 {
        text.push_str(&format!("N{i},2025-01-05T00:00:00Z,nps,9\n"));
    }
    wd.write("long.csv", text.as_bytes());
    let (out, err) = wd.csv_and_stderr(&["surveys", "long.csv"]);
    let rows = parse_csv(&out);
    assert_eq!(rows[0]["csat_responses"], "20", "{err}");
    assert_num(&rows[0], "csat_pct", 40.0);
    assert_num(&rows[0], "csat_mean", 3.0);
    assert_eq!(rows[0]["nps_responses"], "10");
    assert_num(&rows[0], "nps", 100.0);
    assert!(err.contains("1 rejected: unknown label"), "{err}");
    assert!(err.contains("value 'bad'"), "{err}");

    // Ten CSAT scores of which eight are 6–10: a 1–10 scale read as 1–5 would lose
    // most rows, so the run stops and names the scale, as in wide form.
    let mut text = String::from("submitted_at,survey,score\n");
    for s in [6, 7, 8, 9, 10, 6, 7, 8, 1, 2] {
        text.push_str(&format!("2025-01-05T00:00:00Z,CSAT,{s}\n"));
    }
    text.push_str("2025-01-05T00:00:00Z,nps,3\n");
    wd.write("ten.csv", text.as_bytes());
    let out = wd.cxm().args(["surveys", "ten.csv"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(err.contains("8 of 10 sampled scores"), "{err}");
    assert!(err.contains("give --scale csat=1-10"), "{err}");
}

/// An offered, unanswered survey without a date still counts towards the response
/// rate when nothing places rows by time: Good (January), bad (February), and three
/// `Offered` of which one is undated: 2 ÷ (2 + 3) = 40 %. With a window from January
/// the undated one cannot be placed: 2 ÷ (2 + 2) = 50 %, and a warning counts it.
#[test]
fn undated_offered_surveys_count_unless_time_places_rows() {
    let wd = Workdir::new();
    wd.write(
        "off.csv",
        b"ticket_id,submitted_at,csat\n\
1,2025-01-05 10:00,Good\n\
2,2025-02-05 10:00,bad\n\
3,,Offered\n\
4,2025-02-05 10:00,Offered\n\
6,2025-01-06 10:00,Offered\n",
    );
    let (out, err) = wd.csv_and_stderr(&["surveys", "off.csv"]);
    assert_num(&parse_csv(&out)[0], "response_rate_pct", 40.0);
    assert!(!err.contains("offered and not answered"), "{err}");
    let (out, err) = wd.csv_and_stderr(&["surveys", "off.csv", "--since", "2025-01-01"]);
    assert_num(&parse_csv(&out)[0], "response_rate_pct", 50.0);
    assert!(
        err.contains("1 survey offered and not answered has no submitted_at"),
        "{err}"
    );
}

/// An offered survey whose time cannot be read is rejected, and left out of the rate
/// as of every figure: Good and one dated `Offered` give 1 ÷ (1 + 1) = 50 %, whether
/// or not a window places rows by time; the rejected row is counted as such.
#[test]
fn an_offered_survey_rejected_for_its_time_is_not_in_the_rate() {
    let wd = Workdir::new();
    wd.write(
        "off.csv",
        b"ticket_id,submitted_at,csat\n\
1,2025-01-05 10:00,Good\n\
2,garbage,Offered\n\
3,2025-01-06 10:00,Offered\n",
    );
    for window in [&[][..], &["--since", "2025-01-01"][..]] {
        let mut args = vec!["surveys", "off.csv"];
        args.extend(window);
        let (out, err) = wd.csv_and_stderr(&args);
        assert_num(&parse_csv(&out)[0], "response_rate_pct", 50.0);
        assert!(err.contains("1 rejected: unparseable timestamp"), "{err}");
    }
}

/// A wide-form row whose CES score has no time is rejected for it, and its offered
/// CSAT with it, as when the time is unreadable: Good, then (no time or a bad one)
/// `Offered` beside CES 5, then a dated `Offered`: 1 ÷ (1 + 1) = 50 % either way.
#[test]
fn a_row_rejected_for_a_missing_time_leaves_its_offered_survey_out() {
    let wd = Workdir::new();
    for time in ["", "not a date"] {
        let file = format!(
            "submitted_at,csat,ces\n\
2025-01-01T00:00:00Z,5,\n\
{time},Offered,5\n\
2025-01-02T00:00:00Z,Offered,\n"
        );
        wd.write("w.csv", file.as_bytes());
        let (out, err) = wd.csv_and_stderr(&["surveys", "w.csv", "-v"]);
        let row = &parse_csv(&out)[0];
        assert_num(row, "response_rate_pct", 50.0);
        assert_eq!(row["ces_responses"], "0", "{time:?}");
        assert!(
            err.contains("3 rows read = 1 used + 1 rejected + 1 without a score"),
            "{time:?}: {err}"
        );
    }
}

/// Rows of another kind of survey (eNPS, PMF) are counted apart whatever their time:
/// blank, unreadable, or in Berlin's spring-forward gap; only the CSAT row is used.
#[test]
fn other_kinds_of_survey_are_not_rejected_for_their_time() {
    let wd = Workdir::new();
    wd.write(
        "k.csv",
        b"submitted_at,survey,score\n\
2025-01-01T00:00:00Z,csat,5\n\
,enps,5\n\
not a date,enps,3\n\
2025-03-30 02:15:00,pmf,4\n",
    );
    let (_, err) = wd.csv_and_stderr(&["surveys", "k.csv", "-v", "--tz", "Europe/Berlin"]);
    assert!(
        err.contains(
            "4 rows read = 1 used + 0 rejected + 0 without a score + 3 of other survey kinds"
        ),
        "{err}"
    );
    assert!(!err.contains("warning"), "{err}");
}

/// A ticket id on two rows of the tickets file: the last row gives the group, and
/// a warning counts the repeat (T1 is `a` then `c`; T2 is `b`; T3 repeats but no
/// response names it, so it is not counted).
#[test]
fn repeated_ticket_ids_in_the_join_are_counted() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket_id,created_at,team\nT1,2025-01-01T00:00:00Z,a\nT2,2025-01-01T00:00:00Z,b\n\
T1,2025-01-02T00:00:00Z,c\nT3,2025-01-01T00:00:00Z,d\nT3,2025-01-01T00:00:00Z,d\n",
    );
    wd.write(
        "s.csv",
        b"ticket_id,submitted_at,csat\nT1,2025-01-05T00:00:00Z,5\nT2,2025-01-05T00:00:00Z,1\n",
    );
    let (out, err) = wd.csv_and_stderr(&["surveys", "s.csv", "--tickets", "t.csv", "--by", "team"]);
    let rows = parse_csv(&out);
    let teams: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r["team"].as_str(), r["csat_responses"].as_str()))
        .collect();
    assert_eq!(teams, [("b", "1"), ("c", "1")]);
    assert!(
        err.contains("1 ticket row repeats the ticket_id of an earlier row"),
        "{err}"
    );
}

/// `--compare previous --by`: a group with responses only in the previous window keeps
/// its row, with 0 responses now, so its fall to nothing shows. By hand: A answered in
/// both months (5, then 4: satisfied both times), B only in February (2), C only in
/// January (1).
#[test]
fn a_group_only_in_the_previous_window_keeps_its_row() {
    let wd = Workdir::new();
    wd.write(
        "s.csv",
        b"response_id,submitted_at,csat,team\n1,2025-01-05T00:00:00Z,5,A\n2,2025-01-06T00:00:00Z,1,C\n\
3,2025-02-05T00:00:00Z,4,A\n4,2025-02-06T00:00:00Z,2,B\n",
    );
    let rows = wd.csv_rows(&[
        "surveys",
        "s.csv",
        "--by",
        "team",
        "--period",
        "2025-02",
        "--compare",
        "previous",
    ]);
    let got: Vec<[&str; 5]> = rows
        .iter()
        .map(|r| {
            [
                r["team"].as_str(),
                r["csat_responses"].as_str(),
                r["csat_pct"].as_str(),
                r["csat_responses_prev"].as_str(),
                r["csat_pct_prev"].as_str(),
            ]
        })
        .collect();
    assert_eq!(
        got,
        [
            ["A", "1", "100", "1", "100"],
            ["B", "1", "0", "0", ""],
            ["C", "0", "", "1", "0"],
        ]
    );
}

/// Without groups or buckets each window is one row, with responses or without: a
/// month with none beside a month with two (a 5 and a 2: 50 % top-two-box, mean
/// 3.5), either way round.
#[test]
fn compare_without_groups_keeps_an_empty_window_as_a_row() {
    let wd = Workdir::new();
    wd.write(
        "s.csv",
        b"response_id,submitted_at,csat\n1,2025-02-05T00:00:00Z,5\n2,2025-02-06T00:00:00Z,2\n",
    );
    let compared = |period: &str| {
        wd.csv_rows(&[
            "surveys",
            "s.csv",
            "--period",
            period,
            "--compare",
            "previous",
        ])
    };
    let march = compared("2025-03");
    assert_eq!(march.len(), 1);
    assert_eq!(march[0]["csat_responses"], "0");
    assert_empty(&march[0], "csat_pct");
    assert_eq!(march[0]["csat_responses_prev"], "2");
    assert_num(&march[0], "csat_pct_prev", 50.0);
    assert_num(&march[0], "csat_mean_prev", 3.5);
    assert_empty(&march[0], "csat_pct_delta");
    let february = compared("2025-02");
    assert_eq!(february.len(), 1);
    assert_eq!(february[0]["csat_responses"], "2");
    assert_num(&february[0], "csat_pct", 50.0);
    assert_eq!(february[0]["csat_responses_prev"], "0");
    assert_empty(&february[0], "csat_pct_prev");
    assert_empty(&february[0], "csat_pct_delta");
}

/// `-v` with `--compare previous`: the rows of both windows are used, the others are
/// outside (January's response, for March against February).
#[test]
fn compare_accounts_for_rows_outside_both_windows() {
    let wd = Workdir::new();
    wd.write(
        "s.csv",
        b"response_id,submitted_at,csat\n1,2025-01-05T00:00:00Z,5\n2,2025-02-05T00:00:00Z,4\n\
3,2025-03-05T00:00:00Z,2\n4,2025-03-06T00:00:00Z,5\n",
    );
    let out = wd
        .cxm()
        .args([
            "surveys",
            "s.csv",
            "--period",
            "2025-03",
            "--compare",
            "previous",
            "-v",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains(
            "4 rows read = 3 used (1 of them in the previous window) + 0 rejected + 0 without a score + 1 outside the window"
        ),
        "{err}"
    );
}

/// Long form, a measure whose rows all come after the rows sampled to choose scales:
/// 2,100 NPS rows, then 50 CSAT rows scored 6 to 10. Its default scale (1-5) is never
/// judged from the sample, so the run judges it from its counts: all 50 fall off it,
/// and a warning gives the way out. With `--scale csat=1-10`: 9 and 10 satisfy,
/// 20 of 50 = 40 %.
#[test]
fn a_long_form_measure_past_the_sample_is_judged_by_its_rows() {
    let wd = Workdir::new();
    let mut csv = String::from("response_id,submitted_at,survey,score\n");
    for i in 0..2100 {
        csv.push_str(&format!("N{i},2025-01-05T00:00:00Z,nps,{}\n", i % 11));
    }
    for i in 0..50 {
        csv.push_str(&format!("C{i},2025-01-05T00:00:00Z,csat,{}\n", 6 + i % 5));
    }
    wd.write("long.csv", csv.as_bytes());
    let out = wd.cxm().args(["surveys", "long.csv"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("50 of 50 csat rows score outside the default CSAT scale 1-5")
            && err.contains("long.csv:2102: '6'")
            && err.contains("--scale csat="),
        "{err}"
    );
    let rows = wd.csv_rows(&["surveys", "long.csv", "--scale", "csat=1-10"]);
    assert_eq!(rows[0]["csat_responses"], "50");
    assert_num(&rows[0], "csat_pct", 40.0);
}

/// Wide form, columns whose first 2,100 scores (all sampled) fit the default scale
/// and whose 2,200 later ones do not: most of their rows rejected, and a warning each,
/// as in long form; a blank cell is not a row of it. CSAT (6 to 10 past the sample)
/// has a wider scale to give; CES (8 to 9, past 1-7) has none, and says so.
#[test]
fn a_wide_column_off_its_scale_past_the_sample_is_warned_of() {
    let wd = Workdir::new();
    let mut csv = String::from("response_id,submitted_at,csat,ces\n");
    for i in 0..2100 {
        csv.push_str(&format!(
            "A{i},2025-01-05T00:00:00Z,{},{}\n",
            1 + i % 5,
            1 + i % 7
        ));
    }
    csv.push_str("B,2025-01-05T00:00:00Z,,\n");
    for i in 0..2200 {
        csv.push_str(&format!(
            "C{i},2025-01-05T00:00:00Z,{},{}\n",
            6 + i % 5,
            8 + i % 2
        ));
    }
    wd.write("wide.csv", csv.as_bytes());
    let (_, err) = wd.csv_and_stderr(&["surveys", "wide.csv"]);
    assert!(
        err.contains("2200 of 4300 csat rows score outside the default CSAT scale 1-5")
            && err.contains("wide.csv:2103: '6'")
            && err.contains("no more than half the rows sampled to choose scales were off it")
            && err.contains("--scale csat="),
        "{err}"
    );
    assert!(
        err.contains("wide.csv: 2200 of 4300 ces rows score outside the default CES scale 1-7")
            && err.contains("no other CES scale holds more"),
        "{err}"
    );
}

/// A score inside the scale but between its points (4.5 on 1-5) is rejected for that,
/// not as out of scale (7 is out of scale): each reason is its own count.
#[test]
fn a_score_between_points_is_not_out_of_scale() {
    let wd = Workdir::new();
    wd.write(
        "s.csv",
        b"response_id,submitted_at,csat\n1,2025-01-01T00:00:00Z,4\n2,2025-01-01T00:00:00Z,4.5\n3,2025-01-01T00:00:00Z,7\n",
    );
    let (out, err) = wd.csv_and_stderr(&["surveys", "s.csv"]);
    assert_eq!(parse_csv(&out)[0]["csat_responses"], "1");
    assert!(
        err.contains("1 rejected: score out of scale in csat (first at s.csv:4")
            && err.contains("1 rejected: score between the scale's points (not a whole number) in csat (first at s.csv:3"),
        "{err}"
    );
}

/// A ticket on one row gives its responses its team whatever that row's creation
/// time, whether or not another ticket repeats (T3 on two rows here); of a ticket on
/// several rows, a row rejected for its time gives none.
#[test]
fn a_ticket_on_one_row_gives_its_team_whatever_other_tickets_repeat() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket_id,created_at,team\n\
T1,2025-03-01T10:00:00Z,A\n\
T2,not-a-date,B\n\
T3,2025-03-01T10:00:00Z,C\n\
T3,2025-03-01T10:00:00Z,D\n\
T4,2025-03-01T10:00:00Z,E\n\
T4,garbage,F\n",
    );
    wd.write(
        "s.csv",
        b"response_id,ticket_id,submitted_at,csat\n\
r1,T1,2025-03-02T10:00:00Z,5\n\
r2,T2,2025-03-02T10:00:00Z,5\n\
r3,T3,2025-03-02T10:00:00Z,5\n\
r4,T4,2025-03-02T10:00:00Z,5\n",
    );
    let (out, _) = wd.csv_and_stderr(&["surveys", "s.csv", "--tickets", "t.csv", "--by", "team"]);
    let teams: Vec<String> = parse_csv(&out).iter().map(|r| r["team"].clone()).collect();
    assert_eq!(teams, ["A", "B", "D", "E"]);
}

/// Of several ticket files, one whose dates cannot be read keeps all its rows while the
/// others are judged: T4's unreadable second row in a.csv is passed over (E), whatever
/// b.csv's dates. And `--date-format` serves the ticket files too: T2's junk last row
/// is passed over, the row of 2 March (C) gives its team.
#[test]
fn each_ticket_file_is_judged_by_its_own_dates() {
    let wd = Workdir::new();
    wd.write(
        "a.csv",
        b"ticket_id,created_at,team\nT1,2025-03-01T10:00:00Z,A\nT4,2025-03-01T10:00:00Z,E\nT4,garbage,F\n",
    );
    wd.write("b.csv", b"ticket_id,created_at,team\nT2,xx,B\nT3,yy,C\n");
    wd.write(
        "s.csv",
        b"response_id,ticket_id,submitted_at,csat\nr1,T1,2025-03-05T10:00:00Z,5\n\
r2,T2,2025-03-05T10:00:00Z,5\nr3,T3,2025-03-05T10:00:00Z,5\nr4,T4,2025-03-05T10:00:00Z,5\n",
    );
    let args = [
        "surveys",
        "s.csv",
        "--tickets",
        "a.csv",
        "--tickets",
        "b.csv",
        "--by",
        "team",
    ];
    let (out, _) = wd.csv_and_stderr(&args);
    let teams: Vec<String> = parse_csv(&out).iter().map(|r| r["team"].clone()).collect();
    assert_eq!(teams, ["A", "B", "C", "E"]);
    wd.write(
        "d.csv",
        b"ticket_id,created_at,team\nT1,01.03.2025 10h00,A\nT2,01.03.2025 10h00,B\n\
T2,02.03.2025 10h00,C\nT2,junk,D\n",
    );
    wd.write(
        "r.csv",
        b"response_id,ticket_id,submitted_at,csat\nr1,T1,05.03.2025 10h00,5\nr2,T2,05.03.2025 10h00,5\n",
    );
    let (out, _) = wd.csv_and_stderr(&[
        "surveys",
        "r.csv",
        "--tickets",
        "d.csv",
        "--by",
        "team",
        "--date-format",
        "%d.%m.%Y %Hh%M",
    ]);
    let teams: Vec<String> = parse_csv(&out).iter().map(|r| r["team"].clone()).collect();
    assert_eq!(teams, ["A", "C"]);
}

/// A Zendesk ticket export read for its own CSAT: `--by team` names the file's
/// `Group`, which the tickets read as the team, and grouping by it works (Support
/// holds the three rated tickets, 2 good of 3).
#[test]
fn by_a_ticket_field_points_to_the_files_own_column() {
    let zendesk = fixture("presets/zendesk.csv");
    let out = Workdir::new()
        .cxm()
        .args(["surveys", &zendesk, "--by", "team"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("group by this file's own column (--by 'Group')"),
        "{err}"
    );
    let rows = csv_rows(&["surveys", &zendesk, "--by", "Group"]);
    let support = rows.iter().find(|r| r["Group"] == "Support").unwrap();
    assert_eq!(support["csat_responses"], "3");
    assert_num(support, "csat_pct", 200.0 / 3.0);
}

/// A long-form export of its header alone holds no response of any measure: zeros,
/// so that `--fail-if 'csat_responses<1'` fires (exit 4) on an export gone wrong.
#[test]
fn a_long_form_header_alone_gives_zeros() {
    let wd = Workdir::new();
    wd.write("s.csv", b"response_id,submitted_at,survey,score\n");
    let rows = wd.csv_rows(&["surveys", "s.csv", "-q"]);
    for column in ["csat_responses", "ces_responses", "nps_responses"] {
        assert_eq!(rows[0][column], "0", "{column}");
    }
    assert_empty(&rows[0], "csat_pct");
    let out = wd
        .cxm()
        .args(["surveys", "s.csv", "-q", "--fail-if", "csat_responses<1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
}

/// CES answers in the older effort item's words name its scale, lower = easier,
/// without `--scale ces=5-1`: Very low (1), Low (2), High (4), Very low (1), Neither
/// (3) are flipped to 5, 4, 2, 5, 3: a mean of 19 ÷ 5 = 3.8, and 3 of 5 easy (4 or
/// more), 60 %. They used to be rejected as unknown labels.
#[test]
fn effort_words_are_the_reversed_ces_scale() {
    let wd = Workdir::new();
    wd.write(
        "ces.csv",
        b"response_id,submitted_at,ces\n\
          1,2025-03-03,Very low effort\n\
          2,2025-03-03,Low effort\n\
          3,2025-03-04,High effort\n\
          4,2025-03-04,very low effort\n\
          5,2025-03-05,Neither high nor low effort\n",
    );
    let out = wd.cxm().args(["surveys", "ces.csv"]).output().unwrap();
    assert!(out.status.success(), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("rejected"), "{err}");
    let rows = parse_csv(&out.stdout);
    assert_eq!(rows[0]["ces_responses"], "5");
    assert_num(&rows[0], "ces_mean", 3.8);
    assert_num(&rows[0], "ces_easy_pct", 60.0);
}

/// A ticket row left out of the join (its id on another row, its created_at
/// unreadable) is said: T1's `garbage` row is not the ticket's, so R1 goes to team a
/// (the other row); T3's only row still counts (c), and so do both rows of T4, none
/// of which is readable (the last: e). A response outside `--period` whose ticket is
/// missing is not warned of: it is in no figure. `--strict` judges the responses'
/// rows: the ticket row left out does not stop it.
#[test]
fn ticket_rows_left_out_of_the_join_are_said() {
    let wd = Workdir::new();
    wd.write(
        "tk.csv",
        b"ticket_id,created_at,team\nT1,2025-01-01,a\nT1,garbage,b\nT3,garbage,c\n\
          T4,bad,d\nT4,worse,e\n",
    );
    wd.write(
        "rs.csv",
        b"response_id,ticket_id,submitted_at,csat\n\
          R1,T1,2025-03-01,5\n\
          R3,T3,2025-03-01,4\n\
          R4,T4,2025-03-01,2\n\
          R9,T9,2025-05-01,3\n",
    );
    let run = |extra: &[&str]| {
        let mut args = vec!["surveys", "rs.csv", "--tickets", "tk.csv", "--by", "team"];
        args.extend(extra);
        wd.cxm().args(args).output().unwrap()
    };
    let out = run(&["--period", "2025-03"]);
    assert!(out.status.success(), "{out:?}");
    let rows = parse_csv(&out.stdout);
    let teams: Vec<&str> = rows.iter().map(|r| r["team"].as_str()).collect();
    assert_eq!(teams, ["a", "c", "e"]);
    assert_num(&rows[0], "csat_mean", 5.0);
    assert_num(&rows[1], "csat_mean", 4.0);
    assert_num(&rows[2], "csat_mean", 2.0);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("tk.csv: 1 ticket row left out of the join") && err.contains("ticket_id 'T1'"),
        "{err}"
    );
    assert!(!err.contains("no matching ticket"), "{err}");
    // Without the window, R9 is used and its ticket is missing.
    let out = run(&[]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("1 row: no matching ticket"), "{err}");
    let out = run(&["--period", "2025-03", "--strict"]);
    assert!(out.status.success(), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("1 ticket row left out"));
}

/// A row rejected whole is in no group: c3's answer has no submitted_at (rejected),
/// so only c1 (NPS 9: 100), c4 (a survey not answered: a group of no responses) and
/// c5 (an eNPS, another kind of survey: none of the three measures) are rows; c3
/// used to be a row of zeros. An `Offered` CSAT beside a rejected NPS
/// still counts towards the response rate (1 of 2 answered: 50 %).
#[test]
fn a_row_rejected_whole_is_in_no_group() {
    let wd = Workdir::new();
    wd.write(
        "m.csv",
        b"response_id,submitted_at,customer_id,survey,score\n\
          R1,2025-01-10T11:00:00Z,c1,nps,9\n\
          R3,,c3,nps,2\n\
          R4,2025-01-11T00:00:00Z,c4,nps,\n\
          R5,2025-01-12T00:00:00Z,c5,enps,7\n",
    );
    let out = wd
        .cxm()
        .args(["surveys", "m.csv", "--by", "customer_id"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let rows = parse_csv(&out.stdout);
    let ids: Vec<&str> = rows.iter().map(|r| r["customer_id"].as_str()).collect();
    assert_eq!(ids, ["c1", "c4", "c5"]);
    assert_num(&rows[0], "nps", 100.0);
    assert_eq!(rows[1]["nps_responses"], "0");
    assert_eq!(rows[2]["nps_responses"], "0");
    wd.write(
        "offered.csv",
        b"id,submitted_at,csat,nps\n1,2025-01-01,Offered,11\n2,2025-01-01,5,9\n",
    );
    let out = wd.cxm().args(["surveys", "offered.csv"]).output().unwrap();
    let rows = parse_csv(&out.stdout);
    assert_num(&rows[0], "response_rate_pct", 50.0);
    assert_eq!(rows[0]["nps_responses"], "1");
}

/// Effort words beside as many numbers still name the reversed scale (docs: "as many
/// as its numbers"), in wide and long form: "very low effort" (1) and 2 flip to 5 and
/// 4, a mean of 4.5, both easy (100 %). The words used to be rejected and the number
/// read on 1-7.
#[test]
fn effort_words_beside_numbers_are_the_reversed_ces_scale() {
    let wd = Workdir::new();
    wd.write(
        "wide.csv",
        b"id,submitted_at,ces\n1,2025-03-01,very low effort\n2,2025-03-01,2\n",
    );
    wd.write(
        "long.csv",
        b"id,submitted_at,survey,score\n\
          1,2025-03-01,ces,very low effort\n\
          2,2025-03-01,ces,2\n",
    );
    for file in ["wide.csv", "long.csv"] {
        let out = wd.cxm().args(["surveys", file]).output().unwrap();
        assert!(out.status.success(), "{file}: {out:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("rejected"), "{file}: {err}");
        let rows = parse_csv(&out.stdout);
        assert_eq!(rows[0]["ces_responses"], "2", "{file}");
        assert_num(&rows[0], "ces_mean", 4.5);
        assert_num(&rows[0], "ces_easy_pct", 100.0);
    }
    // A 7 and a 6 say the numbers are the 1–7 scale: the three words are the strays
    // (rejected), 7 and 6 count: a mean of 6.5. The run used to stop, naming 1-7.
    wd.write(
        "seven.csv",
        b"id,submitted_at,ces\n1,2025-03-01,Very low effort\n2,2025-03-01,high effort\n\
          3,2025-03-01,low effort\n4,2025-03-01,7\n5,2025-03-01,6\n",
    );
    let out = wd.cxm().args(["surveys", "seven.csv"]).output().unwrap();
    assert!(out.status.success(), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("3 rejected"), "{err}");
    let rows = parse_csv(&out.stdout);
    assert_eq!(rows[0]["ces_responses"], "2");
    assert_num(&rows[0], "ces_mean", 6.5);
}

/// Chatwoot's CSAT download closes with a `Reporting period …` line: a footer, left
/// out (and said, whatever the verbosity), not a group of its own beside the agents'. Ann 5 and 4,
/// Bob 2: Ann 100 %, Bob 0 %.
#[test]
fn a_footer_line_is_no_group() {
    let wd = Workdir::new();
    wd.write(
        "chatwoot.csv",
        b"Agent Name,Rating,Feedback Comment,Contact Name,Recorded date\n\
          Ann Lee (ann@acme.io),5,,Ola,2025-03-07 12:00:00 UTC\n\
          Bob Ray (bob@acme.io),2,slow,Pam,2025-03-08 12:00:00 UTC\n\
          Ann Lee (ann@acme.io),4,,Kim,2025-03-09 12:00:00 UTC\n\
          Reporting period 2025-03-01 to 2025-03-31\n",
    );
    let out = wd
        .cxm()
        .args(["surveys", "chatwoot.csv", "--by", "Agent Name", "-v"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let rows = parse_csv(&out.stdout);
    let agents: Vec<&str> = rows.iter().map(|r| r["Agent Name"].as_str()).collect();
    assert_eq!(agents, ["Ann Lee (ann@acme.io)", "Bob Ray (bob@acme.io)"]);
    assert_num(&rows[0], "csat_pct", 100.0);
    assert_num(&rows[1], "csat_pct", 0.0);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("3 rows read"), "{err}");
    assert!(
        err.contains("chatwoot.csv: 1 line below the table taken for a footer ('Reporting period 2025-03-01 to 2025-03-31'), not read"),
        "{err}"
    );
}

/// Zammad's workbook saved as CSV by a spreadsheet: its blank row and its
/// `Timezone: …` footer padded with commas to the table's width. The footer is left
/// out (warned), not a rejected row: `--strict` passes, and the two tickets are
/// counted (one resolved in 2 h, one open).
#[test]
fn a_labelled_footer_padded_by_a_spreadsheet_is_no_row() {
    let wd = Workdir::new();
    wd.write(
        "zammad.csv",
        b"#,State,Create Channel,Created At,Closed At,Close In Min,First Response At\n\
          1001,closed,email,2025-03-03 09:00:00,2025-03-03 11:00:00,120,\n\
          1002,open,email,2025-03-04 09:00:00,,,\n\
          ,,,,,,\n\
          Timezone: Europe/Berlin,,,,,,\n",
    );
    let out = wd
        .cxm()
        .args([
            "tickets",
            "zammad.csv",
            "--strict",
            "--now",
            "2025-03-10T00:00:00Z",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let rows = parse_csv(&out.stdout);
    assert_eq!(rows.len(), 1);
    assert_num(&rows[0], "tickets", 2.0);
    assert_num(&rows[0], "resolved", 1.0);
    assert_num(&rows[0], "resolution_mean_hours", 2.0);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("zammad.csv: 2 lines below the table taken for a footer ('Timezone: Europe/Berlin'), not read"),
        "{err}"
    );
}

/// A survey's last answer of words, padded by a spreadsheet with its empty comment
/// (`It was fine,`, a label read as 3, as the shipped config reads it), is a response, not a
/// footer: 5, 1 and 3 make 1 satisfied of 3.
#[test]
fn a_padded_last_answer_of_words_is_no_footer() {
    let wd = Workdir::new();
    wd.write(
        "s.csv",
        b"csat,comment
5,Great
1,Slow
It was fine,
",
    );
    wd.write("c.toml", b"[labels.csat]\n\"It was fine\" = 3\n");
    let (out, err) = wd.csv_and_stderr(&["surveys", "s.csv", "--config", "c.toml"]);
    let rows = parse_csv(&out);
    assert_num(&rows[0], "csat_responses", 3.0);
    assert_num(&rows[0], "csat_pct", 100.0 / 3.0);
    assert!(!err.contains("footer"), "{err}");
    // Below a cleared row too: 5, 4 and 3 (Neither…), 2 of 3 satisfied, mean 4.
    wd.write(
        "l.csv",
        b"csat,comment\nVery satisfied,great\nSatisfied,\n,\nNeither satisfied nor dissatisfied,\n",
    );
    let (out, err) = wd.csv_and_stderr(&["surveys", "l.csv"]);
    let rows = parse_csv(&out);
    assert_num(&rows[0], "csat_responses", 3.0);
    assert_num(&rows[0], "csat_mean", 4.0);
    assert!(!err.contains("footer"), "{err}");
    // A label starting with its score too: 9, 6 and 10 make NPS (2 − 1) / 3.
    wd.write("n.csv", b"nps,csat\n9,4\n6,5\n,\n10 - Extremely likely,\n");
    let (out, err) = wd.csv_and_stderr(&["surveys", "n.csv"]);
    let rows = parse_csv(&out);
    assert_num(&rows[0], "nps_responses", 3.0);
    assert_num(&rows[0], "nps", 100.0 / 3.0);
    assert!(!err.contains("footer"), "{err}");
}

/// A last record short of its empty fields (`T 3` under three columns) is no footer:
/// a rejected row, so `--strict` stops (exit 3) and `--rejects` names line 4.
#[test]
fn a_short_last_record_is_no_footer() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket id,created_at,channel\nT 1,2025-01-01 10:00,email\nT 2,2025-01-02 10:00,chat\nT 3\n",
    );
    let out = wd
        .cxm()
        .args(["tickets", "t.csv", "--strict", "--rejects", "r.csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    let rejects = std::fs::read_to_string(wd.path("r.csv")).unwrap();
    assert!(
        rejects.lines().skip(1).any(|l| l.contains(",4,")),
        "{rejects}"
    );
}

/// A ragged ticket row (a field beyond the header) is no row of its ticket in the
/// join: R1 takes T1's team `a`, not its ragged repeat's `b`; R3 takes T3's readable
/// row's `e` (its unreadable-time row `d` is left out, its ragged `f` is not a row);
/// R2's ticket has only a ragged row, so R2 matches no ticket.
#[test]
fn a_ragged_ticket_row_gives_no_groups() {
    let wd = Workdir::new();
    wd.write(
        "js.csv",
        b"response_id,ticket_id,submitted_at,csat\nR1,T1,2025-01-07T08:00:00Z,5\nR2,T2,2025-01-07T08:00:00Z,4\nR3,T3,2025-01-07T08:00:00Z,3\n",
    );
    wd.write(
        "jt.csv",
        b"ticket_id,created_at,team\nT1,2025-01-06T08:00:00Z,a\nT1,2025-01-06T08:00:00Z,b,x\nT2,2025-01-06T08:00:00Z,c,x\nT3,garbage,d\nT3,2025-01-06T08:00:00Z,e\nT3,2025-01-06T08:00:00Z,f,x\n",
    );
    let out = wd
        .cxm()
        .args(["surveys", "js.csv", "--tickets", "jt.csv", "--by", "team"])
        .args(["--format", "csv"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("1 row: no matching ticket"), "{err}");
    assert!(!err.contains("repeat"), "{err}");
    let rows = parse_csv(&out.stdout);
    let team = |t: &str| rows.iter().find(|r| r["team"] == t);
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert_num(team("a").unwrap(), "csat_mean", 5.0);
    assert_num(team("e").unwrap(), "csat_mean", 3.0);
    assert_num(team("").unwrap(), "csat_mean", 4.0);
}

/// A money sign in a satisfaction score is a broken export, not an amount: `$5` is
/// rejected, where an MRR of `$5` is read. CSAT of 4 and 2 (1–5): 1 of 2 satisfied.
#[test]
fn a_currency_sign_in_a_score_is_rejected() {
    let wd = Workdir::new();
    wd.write(
        "cs.csv",
        b"response_id,submitted_at,csat\nR1,2025-03-03T10:00:00Z,$5\nR2,2025-03-03T10:00:00Z,4\nR3,2025-03-03T10:00:00Z,2\n",
    );
    let out = wd
        .cxm()
        .args(["surveys", "cs.csv", "--format", "csv"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("'$5'"), "{err}");
    let rows = parse_csv(&out.stdout);
    assert_num(&rows[0], "csat_responses", 2.0);
    assert_num(&rows[0], "csat_pct", 50.0);
}

/// A response id repeated only outside the window is not counted twice, so not said;
/// it is when the window, or the previous one compared, holds it. Response 1 is on
/// two rows of February, response 2 on one row of March; response 3 on two rows of
/// March whose scores are unreadable (rejected, counted by neither).
#[test]
fn repeated_response_ids_are_said_only_for_the_rows_counted() {
    let wd = Workdir::new();
    wd.write(
        "r.csv",
        b"response_id,submitted_at,survey,score\n1,2025-02-10T10:00:00Z,csat,5\n1,2025-02-10T10:00:00Z,csat,5\n2,2025-03-10T10:00:00Z,csat,1\n3,2025-03-11T10:00:00Z,csat,abc\n3,2025-03-11T10:00:00Z,csat,zzz\n",
    );
    let said = "1 response id is on more than one row";
    for (args, warned, responses) in [
        (&["--period", "2025-03"][..], false, "1"),
        (&["--period", "2025-02"][..], true, "2"),
        (
            &["--period", "2025-03", "--compare", "previous"][..],
            true,
            "1",
        ),
        (&[][..], true, "3"),
    ] {
        let out = wd
            .cxm()
            .args(["surveys", "r.csv", "--format", "csv"])
            .args(args)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{args:?}: {err}");
        assert_eq!(err.contains(said), warned, "{args:?}: {err}");
        assert_eq!(
            parse_csv(&out.stdout)[0]["csat_responses"],
            responses,
            "{args:?}"
        );
    }
}

/// Placed in buckets, an undated row is in none: its id repeated is not counted twice.
/// o1 is offered twice undated, o2 twice dated, o4 once undated and once answered:
/// only o2 is repeated among the rows the monthly table counts.
#[test]
fn repeated_ids_of_undated_rows_are_not_said_in_buckets() {
    let wd = Workdir::new();
    wd.write(
        "so.csv",
        b"response_id,submitted_at,csat\no1,,Offered\no1,,Offered\no2,2025-03-02T10:00:00Z,Offered\no2,2025-03-03T10:00:00Z,Offered\no3,2025-03-02T10:00:00Z,5\no4,,Offered\no4,2025-03-05T10:00:00Z,4\n",
    );
    let out = wd
        .cxm()
        .args(["surveys", "so.csv", "--every", "month", "--format", "csv"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("1 response id is on more than one row"),
        "{err}"
    );
}

/// `--compare previous` keeps the warnings of a plain run: a window holding none of
/// the responses while the previous one holds them (a stale export), and a response
/// id on two rows (counted twice).
#[test]
fn compare_previous_keeps_the_stale_and_repeat_warnings() {
    let wd = Workdir::new();
    wd.write(
        "s.csv",
        b"response_id,submitted_at,survey,score\n1,2025-03-10T10:00:00Z,csat,5\n1,2025-03-10T10:00:00Z,csat,5\n2,2025-02-10T10:00:00Z,csat,1\n",
    );
    let run = |period: &str| {
        let out = wd
            .cxm()
            .args([
                "surveys",
                "s.csv",
                "--period",
                period,
                "--compare",
                "previous",
            ])
            .args(["--format", "csv"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        (
            parse_csv(&out.stdout),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (rows, err) = run("2025-03");
    assert!(
        err.contains("1 response id is on more than one row"),
        "{err}"
    );
    assert!(!err.contains("stale"), "{err}");
    assert_num(&rows[0], "csat_responses", 2.0);
    let (rows, err) = run("2025-04");
    assert!(
        err.contains(
            "holds none of the responses: responses run from 2025-02-10 10:00 to 2025-03-10 10:00"
        ),
        "{err}"
    );
    assert_num(&rows[0], "csat_responses", 0.0);
    assert_num(&rows[0], "csat_responses_prev", 2.0);
}

/// `-v` accounts for the ticket files of a join too: 5 rows read (T2 on two of them;
/// T4's with a field past the header, rejected whole), and of the 4 ticket ids the
/// responses name (T1, T2, T4, T9), 2 are there.
#[test]
fn verbose_accounts_for_the_joined_ticket_files() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket_id,created_at,team\nT1,2025-03-01T10:00:00Z,a\nT2,2025-03-01T10:00:00Z,a\nT2,2025-03-01T10:00:00Z,b\nT3,2025-03-01T10:00:00Z,b\nT4,2025-03-01T10:00:00Z,c,extra\n",
    );
    wd.write(
        "s.csv",
        b"response_id,ticket_id,csat\n1,T1,5\n2,T2,4\n3,T9,1\n4,T1,2\n5,T4,3\n",
    );
    let out = wd
        .cxm()
        .args([
            "surveys",
            "s.csv",
            "--tickets",
            "t.csv",
            "--by",
            "team",
            "-v",
        ])
        .args(["--format", "csv"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("cxm: t.csv: 5 ticket rows read for the join (1 with more fields than the header, rejected whole); 2 of the 4 ticket ids the survey rows name are there"),
        "{err}"
    );
}

/// A response submitted before 1900 or from 2100 on is misread (9999-12-31 for
/// "never"), rejected as a ticket time is, with its year as the reason: of the
/// fixture's four, the two of 2025 are used (CSAT 5 and 2: one satisfied, 50 %), in
/// one year 2025, no year 1899 or 9999.
#[test]
fn a_response_of_a_year_out_of_range_is_rejected() {
    let wd = Workdir::new();
    let file = crate::common::fixture("sql/far_dates_surveys.csv");
    assert_eq!(
        wd.accounting(&["surveys", &file, "--every", "year"]),
        format!("cxm: {file}: 4 rows read = 2 used + 2 rejected + 0 without a score")
    );
    let out = wd
        .cxm()
        .args(["surveys", &file, "--every", "year", "--format", "csv"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("the year 9999 is outside 1900–2099"), "{err}");
    let rows = parse_csv(&out.stdout);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["period"], "2025");
    assert_eq!(rows[0]["csat_responses"], "2");
    assert_num(&rows[0], "csat_pct", 50.0);
}

/// Subscriptions given as the tickets to join: the error says what the file holds.
#[test]
fn subscriptions_given_as_tickets_are_named() {
    let sample = concat!(env!("CARGO_MANIFEST_DIR"), "/sample-data");
    let out = Workdir::new()
        .cxm()
        .args(["surveys", &format!("{sample}/surveys.csv")])
        .args([
            "--tickets",
            &format!("{sample}/subscriptions.csv"),
            "--by",
            "team",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("subscriptions.csv: no column for required field 'ticket_id'")
            && err.contains("its headers say it holds subscriptions (cxm churn)"),
        "{err}"
    );
}

/// A response whose ticket id pandas wrote as a float (`101.0`) is ticket 101's, as
/// ` 101` (padded) is: alpha has the responses 5 and 4, beta the 1. Where the sample
/// shows no such id, a later `103.0` matching no ticket `103` is explained.
#[test]
fn a_ticket_id_written_as_a_whole_float_is_the_integer() {
    let w = Workdir::new();
    w.write(
        "s.csv",
        b"ticket_id,submitted_at,csat\n101.0,2025-01-02,5\n102.0,2025-01-02,1\n 101,2025-01-02,4\n",
    );
    w.write(
        "t.csv",
        b"ticket_id,created_at,team\n101,2025-01-01,alpha\n102,2025-01-01,beta\n103,2025-01-01,gamma\n",
    );
    let (out, err) = w.csv_and_stderr(&["surveys", "s.csv", "--tickets", "t.csv", "--by", "team"]);
    let rows = parse_csv(&out);
    let teams: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r["team"].as_str(), r["csat_responses"].as_str()))
        .collect();
    assert_eq!(teams, [("alpha", "2"), ("beta", "1")], "{err}");
    assert!(!err.contains("no matching ticket"), "{err}");
    let mut late = String::from("ticket_id,submitted_at,csat\n");
    for _ in 0..2100 {
        late.push_str("101,2025-01-02,5\n");
    }
    late.push_str("103.0,2025-01-02,1\n");
    w.write("late.csv", late.as_bytes());
    let (_, err) = w.csv_and_stderr(&["surveys", "late.csv", "--tickets", "t.csv"]);
    assert!(
        err.contains("1 row: no matching ticket for ticket_id")
            && err.contains("value '103.0': an id written as a decimal, which is not the id '103'"),
        "{err}"
    );
    // Read as integers (the sample holds whole floats), `104.0` is the id 104, which
    // no ticket has: not a matter of how it was written.
    w.write(
        "s4.csv",
        b"ticket_id,submitted_at,csat\n101.0,2025-01-02,5\n104.0,2025-01-02,1\n",
    );
    let (_, err) = w.csv_and_stderr(&["surveys", "s4.csv", "--tickets", "t.csv"]);
    assert!(
        err.contains("value '104.0': read as the id '104', which no ticket has"),
        "{err}"
    );
}

/// `--by survey` on a wide-form file (a column per measure) says so, rather than
/// offering to map a survey column it does not need.
#[test]
fn by_survey_on_a_wide_file_is_explained() {
    let w = Workdir::new();
    let out = w
        .cxm()
        .args(["surveys", &fixture("surveys/wide.csv"), "--by", "survey"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(
        err.contains("the file is in wide form (a column per measure)")
            && !err.contains("--map survey="),
        "{err}"
    );
}

/// Scores written with their labels read as their numbers, and NPS's anchors alone as
/// 0 and 10 (numbered_labels_surveys.csv). By hand, team a: NPS 10 and 0 (9.5 is
/// between points, rejected): 1 promoter, 1 detractor, NPS 0; CSAT 5 and 2: 50 %.
/// Team b: NPS 10, 7 and 9: 2 promoters of 3, 66.6667; CSAT 4 and 3 (`1-5` names
/// no label, rejected): 50 %.
#[test]
fn scores_written_with_their_labels() {
    let wd = Workdir::new();
    let (out, err) = wd.csv_and_stderr(&[
        "surveys",
        &fixture("sql/numbered_labels_surveys.csv"),
        "--by",
        "team",
    ]);
    let rows = parse_csv(&out);
    let team = |t: &str| {
        rows.iter()
            .find(|r| r["team"] == t)
            .cloned()
            .unwrap_or_default()
    };
    let (a, b) = (team("a"), team("b"));
    assert_eq!(
        (
            a["nps_responses"].as_str(),
            a["promoters"].as_str(),
            a["detractors"].as_str()
        ),
        ("2", "1", "1"),
        "{err}"
    );
    assert_num(&a, "nps", 0.0);
    assert_num(&a, "csat_pct", 50.0);
    assert_eq!(b["nps_responses"], "3", "{err}");
    assert_num(&b, "nps", 200.0 / 3.0);
    assert_eq!(b["csat_responses"], "2", "{err}");
    assert_num(&b, "csat_pct", 50.0);
    assert!(
        err.contains("score between the scale's points") && err.contains("unknown label"),
        "{err}"
    );
    // Numbers written with labels count as numbers where the scale is judged: a 1–10
    // column so written stops as the bare numbers do; a stray bare 10 among 1–5
    // labelled scores is one rejected value (4 of 5 satisfied: 80 %).
    wd.write(
        "ten.csv",
        b"csat\n10 - Extremely satisfied\n9 - ok\n8 - ok\n7 - ok\n6 - ok\n3 - no\n",
    );
    let out = wd.cxm().args(["surveys", "ten.csv"]).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("give --scale csat=1-10"));
    wd.write(
        "stray.csv",
        b"csat\n5 - Very satisfied\n4 - Satisfied\n5 - Very satisfied\n2 - Dissatisfied\n4 - Satisfied\n10\n",
    );
    let (out, err) = wd.csv_and_stderr(&["surveys", "stray.csv"]);
    let rows = parse_csv(&out);
    assert_eq!(rows[0]["csat_responses"], "5", "{err}");
    assert_num(&rows[0], "csat_pct", 80.0);
}

/// Effort answers written with their numbers (`1 - Very low effort`) say which way
/// the CES scale runs, as the words alone do: read on 5-1, each point p as 6 − p.
/// Mixed with plain answers: very low (5), low (4), very low, low, 1 → 5, 5 → 1,
/// 1 → 5, 2 → 4, 1 → 5, 1 → 5: mean 43 / 10 = 4.3, 9 of 10 at 4 or more (90 %).
#[test]
fn effort_answers_with_their_numbers_run_the_scale_their_way() {
    let wd = Workdir::new();
    wd.write(
        "c.csv",
        "ces\nvery low effort\nlow effort\nvery low effort\nlow effort\n1 - Very low effort\n5 - Very high effort\n1 - Very low effort\n2 - Low effort\n1 - Very low effort\n1 - Very low effort\n".as_bytes(),
    );
    let (out, err) = wd.csv_and_stderr(&["surveys", "c.csv"]);
    let rows = parse_csv(&out);
    assert_eq!(rows[0]["ces_responses"], "10", "{err}");
    assert_num(&rows[0], "ces_mean", 4.3);
    assert_num(&rows[0], "ces_easy_pct", 90.0);
}

/// A score column blank in one file gives way there to another that holds scores,
/// each file on its own: 1, 2, 1 from the first, 5, 4 from the second: 5 responses,
/// 2 satisfied (40 %), mean 13 / 5 = 2.6.
#[test]
fn a_blank_score_column_gives_way_in_each_file() {
    let wd = Workdir::new();
    wd.write(
        "a.csv",
        b"response_id,submitted_at,csat,satisfaction_score\nA1,2025-03-01,,1\nA2,2025-03-01,,2\nA3,2025-03-01,,1\n",
    );
    wd.write(
        "b.csv",
        b"response_id,submitted_at,csat,satisfaction_score\nB1,2025-03-01,5,\nB2,2025-03-01,4,\n",
    );
    let rows = wd.csv_rows(&["surveys", "a.csv", "b.csv"]);
    assert_eq!(rows[0]["csat_responses"], "5");
    assert_num(&rows[0], "csat_pct", 40.0);
    assert_num(&rows[0], "csat_mean", 2.6);
}

/// Effort answers numbered up to 7 (`7 - Very high effort`) are the seven-point effort
/// item: read on 7-1, each point p as 8 − p. By hand: 1 → 7, 7 → 1, 4 → 4, 2 → 6,
/// mean 18 / 4 = 4.5; 7 and 6 are easy (≥ 5): 50 %. Nothing rejected.
#[test]
fn effort_answers_numbered_to_seven_run_the_seven_point_scale_their_way() {
    let wd = Workdir::new();
    wd.write(
        "c.csv",
        b"response_id,submitted_at,ces\nr1,2025-01-02,1 - Very low effort\nr2,2025-01-03,7 - Very high effort\nr3,2025-01-04,4 - Neutral\nr4,2025-01-05,2 - Low effort\n",
    );
    let (out, err) = wd.csv_and_stderr(&["surveys", "c.csv"]);
    let rows = parse_csv(&out);
    assert_eq!(rows[0]["ces_responses"], "4", "{err}");
    assert_num(&rows[0], "ces_mean", 4.5);
    assert_num(&rows[0], "ces_easy_pct", 50.0);
    assert!(!err.contains("rejected"), "{err}");
    // The seven-point item's named points: very low effort 1 (7 once turned), very
    // high 7 (1), beside 7 (1) and 6 (2): mean 11 / 4 = 2.75, one of four easy.
    wd.write(
        "w.csv",
        b"response_id,submitted_at,ces\nr1,2025-03-01,Very low effort\nr2,2025-03-01,Very high effort\nr3,2025-03-01,7\nr4,2025-03-01,6\n",
    );
    let (out, err) = wd.csv_and_stderr(&["surveys", "w.csv", "--scale", "ces=7-1"]);
    let rows = parse_csv(&out);
    assert_eq!(rows[0]["ces_responses"], "4", "{err}");
    assert_num(&rows[0], "ces_mean", 2.75);
    assert_num(&rows[0], "ces_easy_pct", 25.0);
    // Numbers against those names (`1 - Very high effort`) are said, as on 5-1.
    wd.write(
        "r.csv",
        b"response_id,submitted_at,ces\nr1,2025-03-01,1 - Very high effort\nr2,2025-03-01,7 - Very low effort\nr3,2025-03-01,2 - High effort\n",
    );
    let (_, err) = wd.csv_and_stderr(&["surveys", "r.csv"]);
    assert!(
        err.contains("2 of the sampled answers read by their number disagree with their label"),
        "{err}"
    );
}

/// Effort answers with their numbers where the numbers say 1-7 (a 6, a `7 - Strongly
/// agree`) run the other way: rejected as the effort words alone are, not read as
/// 1 and 2 (the hardest). By hand: 6, 7 and 5 on 1–7, mean 6, all easy (≥ 5).
#[test]
fn numbered_effort_answers_on_an_agreement_scale_are_no_score() {
    let wd = Workdir::new();
    let (out, err) = wd.csv_and_stderr(&["surveys", &fixture("sql/numbered_effort_surveys.csv")]);
    let rows = parse_csv(&out);
    assert_eq!(rows[0]["ces_responses"], "3", "{err}");
    assert_num(&rows[0], "ces_mean", 6.0);
    assert_num(&rows[0], "ces_easy_pct", 100.0);
    assert!(err.contains("2 rejected: unknown label in ces"), "{err}");
}

/// A response rejected for its time is rejected whole, once: its score (an NPS of
/// 11, off the scale) is not judged too, as a ticket's values are not past a
/// missing creation time. One reject, one line in `--rejects`.
#[test]
fn a_response_rejected_for_its_time_is_rejected_once() {
    let wd = Workdir::new();
    wd.write(
        "s.csv",
        b"response_id,submitted_at,survey,score\nR1,2025-01-02T10:00:00Z,csat,5\nR2,not a date,nps,11\nR3,2025-01-03T10:00:00Z,csat,4\n",
    );
    let (out, err) = wd.csv_and_stderr(&["surveys", "s.csv", "--rejects", "r.csv", "-o", "o.csv"]);
    assert!(out.is_empty());
    assert!(
        err.contains("1 rejected: unparseable timestamp in submitted_at"),
        "{err}"
    );
    assert!(!err.contains("out of scale"), "{err}");
    let rejects = parse_csv(&std::fs::read(wd.path("r.csv")).unwrap());
    assert_eq!(rejects.len(), 1);
    assert_eq!(rejects[0]["reason"], "unparseable timestamp");
    let rows = parse_csv(&std::fs::read(wd.path("o.csv")).unwrap());
    assert_eq!(rows[0]["csat_responses"], "2");
    // Long form: a bad time beside a blank kind (r9) or an unknown label (r10) is one
    // reject each; a blank time and kind (r11), the kind's.
    wd.write(
        "l.csv",
        b"response_id,submitted_at,survey,score\nr1,2025-01-05T10:00:00Z,csat,5\nr9,bad,,5\nr10,bad,csat,superb\nr11,,,4\n",
    );
    let (_, err) = wd.csv_and_stderr(&["surveys", "l.csv", "--rejects", "r.csv", "-o", "o.csv"]);
    let rejects = parse_csv(&std::fs::read(wd.path("r.csv")).unwrap());
    let lines: Vec<(&str, &str)> = (rejects.iter())
        .map(|r| (r["line"].as_str(), r["reason"].as_str()))
        .collect();
    assert_eq!(
        lines,
        [
            ("3", "unparseable timestamp"),
            ("4", "unparseable timestamp"),
            ("5", "missing required value")
        ],
        "{err}"
    );
}

/// An answer written as a number and a label is read by its number; where the label
/// reads another point (`1 - Very satisfied` on 1–5, where very satisfied is 5), the
/// numbers may be the choices' order: said, with an example. Read by the numbers, 1,
/// 1, 2 and 5 give one satisfied of four, mean 2.25; given their scores under
/// `[labels.csat]`, 5, 5, 4 and 1: three of four, mean 3.75, and nothing to say. Where
/// number and label agree (`10 - Extremely likely`), nothing either.
#[test]
fn numbers_against_their_labels_are_said() {
    let wd = Workdir::new();
    wd.write(
        "f.csv",
        b"submitted_at,csat\n2025-03-01T00:00:00Z,1 - Very satisfied\n\
          2025-03-01T00:00:00Z,1 - Very satisfied\n2025-03-01T00:00:00Z,2 - Satisfied\n\
          2025-03-01T00:00:00Z,5 - Very dissatisfied\n",
    );
    let (out, err) = wd.csv_and_stderr(&["surveys", "f.csv"]);
    let rows = parse_csv(&out);
    assert_num(&rows[0], "csat_pct", 25.0);
    assert_num(&rows[0], "csat_mean", 2.25);
    assert!(
        err.contains("'1 - Very satisfied': 1 by its number, 5 by its label on the 1-5 scale"),
        "{err}"
    );
    wd.write(
        "l.toml",
        b"[labels.csat]\n\"1 - Very satisfied\" = 5\n\"2 - Satisfied\" = 4\n\"5 - Very dissatisfied\" = 1\n",
    );
    let (out, err) = wd.csv_and_stderr(&["surveys", "f.csv", "--config", "l.toml"]);
    let rows = parse_csv(&out);
    assert_num(&rows[0], "csat_pct", 75.0);
    assert_num(&rows[0], "csat_mean", 3.75);
    assert!(!err.contains("disagree"), "{err}");
    wd.write(
        "n.csv",
        b"submitted_at,nps\n2025-03-01T00:00:00Z,10 - Extremely likely\n2025-03-01T00:00:00Z,0 - Not at all likely\n",
    );
    let (_, err) = wd.csv_and_stderr(&["surveys", "n.csv"]);
    assert!(!err.contains("disagree"), "{err}");
    // Named by the file and column holding the example. A number past the scale
    // (`7 - Very satisfied`) is rejected as off it and is none of those said; no
    // wider scale is offered, as its labels cannot be checked (the numbers might run
    // the other way).
    wd.write("a.csv", b"response_id,submitted_at,csat\n1,2025-03-01,5\n");
    wd.write(
        "b.csv",
        b"id,date,Satisfaction Score\n3,2025-03-03,4 - Neutral\n4,2025-03-04,7 - Very satisfied\n",
    );
    let (_, err) = wd.csv_and_stderr(&["surveys", "a.csv", "b.csv"]);
    assert!(
        err.contains("b.csv: column 'Satisfaction Score' (csat): 1 of the sampled answers"),
        "{err}"
    );
    assert!(err.contains("under [labels.csat]"), "{err}");
    assert!(!err.contains("--scale csat=1-7)"), "{err}");
    // A number past a float's range is no score (an unknown label, rejected), and
    // says nothing of the numbers.
    let huge = format!(
        "submitted_at,csat\n2025-03-01T00:00:00Z,{} - Great\n",
        "9".repeat(400)
    );
    wd.write("h.csv", huge.as_bytes());
    let (_, err) = wd.csv_and_stderr(&["surveys", "h.csv"]);
    assert!(err.contains("unknown label"), "{err}");
    assert!(!err.contains("disagree"), "{err}");
}

/// A file with a kind and a score column beside the measures' own columns: where
/// its kinds name no measure (`Post-ticket`), the measures' columns are read (CSAT
/// 4 and 5: two satisfied, mean 4.5; NPS 9 and 10: +100), as with `--map`. Where
/// its kinds do (`nps`), the long form is read, and the `csat` column it leaves
/// unread is said. A survey offered and not answered beside a rejected score is used
/// (it counts towards the response rate), without a score, not rejected.
#[test]
fn kinds_and_scores_beside_the_measures_columns() {
    let wd = Workdir::new();
    wd.write(
        "w.csv",
        b"Response ID,Submitted At,Survey Type,Score,CSAT,NPS\n\
          r1,2025-03-01T00:00:00Z,Post-ticket,77,4,9\nr2,2025-03-01T00:00:00Z,Post-ticket,80,5,10\n",
    );
    for args in [
        &["surveys", "w.csv"][..],
        &["surveys", "w.csv", "--map", "csat=CSAT"],
    ] {
        let (out, err) = wd.csv_and_stderr(args);
        let rows = parse_csv(&out);
        assert_eq!(rows[0]["csat_responses"], "2", "{args:?}");
        assert_num(&rows[0], "csat_mean", 4.5);
        assert_num(&rows[0], "nps", 100.0);
        assert!(
            err.contains("'Survey Type' and 'Score' (survey, score) not read"),
            "{err}"
        );
    }
    wd.write(
        "l.csv",
        b"submitted_at,survey,score,csat\n2025-03-01T00:00:00Z,nps,5,4\n2025-03-01T00:00:00Z,nps,9,5\n",
    );
    let (out, err) = wd.csv_and_stderr(&["surveys", "l.csv"]);
    let rows = parse_csv(&out);
    assert_eq!(rows[0]["nps_responses"], "2");
    assert_empty(&rows[0], "csat_responses");
    assert!(err.contains("and 'csat' (csat) not read"), "{err}");
    // Given with --map, the measure's column is read, and the kinds and scores not.
    let (out, err) = wd.csv_and_stderr(&["surveys", "l.csv", "--map", "csat=csat"]);
    assert_eq!(parse_csv(&out)[0]["csat_responses"], "2");
    assert!(
        err.contains("'survey' and 'score' (survey, score) not read"),
        "{err}"
    );
    // A wide file with a survey's name and a column of comments taken for the score:
    // no scores are left unread, and nothing is said.
    wd.write(
        "c.csv",
        b"response_id,survey,csat,response,submitted_at\n1,Post-ticket survey,5,Great help thanks,2025-01-02\n\
          2,Post-ticket survey,2,Slow reply,2025-01-03\n",
    );
    let (out, err) = wd.csv_and_stderr(&["surveys", "c.csv"]);
    assert_eq!(parse_csv(&out)[0]["csat_responses"], "2");
    assert!(!err.contains("not read"), "{err}");
    wd.write(
        "o.csv",
        b"submitted_at,csat,nps\n2025-03-01T00:00:00Z,5,5\n2025-03-01T00:00:00Z,Offered,11\n",
    );
    let (out, err) = wd.csv_and_stderr(&["surveys", "o.csv", "-v"]);
    assert_num(&parse_csv(&out)[0], "response_rate_pct", 50.0);
    assert!(
        err.contains("2 rows read = 1 used + 0 rejected + 1 without a score"),
        "{err}"
    );
}

/// `-v` names a scale other than a measure's default: effort labels where low effort
/// is 5 are read on 5-1 (each answer reversed), said; a 1-5 CSAT column is not.
#[test]
fn verbose_names_a_scale_other_than_the_default() {
    let w = Workdir::new();
    w.write(
        "ces.csv",
        b"response_id,submitted_at,ces,csat\nR1,2025-03-01,Very low effort,4\nR2,2025-03-02,Very high effort,2\n",
    );
    let out = w.cxm().args(["surveys", "ces.csv", "-v"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("cxm: ces.csv: ces on the 5-1 scale"), "{err}");
    assert!(!err.contains("csat on the"), "{err}");
}

/// Responses holding the `--by` column beside ticket files of which one lacks it: the
/// run stops naming it (the blank survey cells lost their tickets' values without a
/// word). Ticket files spelling it two ways are each read by their own spelling.
#[test]
fn ticket_files_disagreeing_on_a_survey_column_stop_the_run() {
    let w = Workdir::new();
    w.write(
        "s.csv",
        b"response_id,ticket_id,submitted_at,csat,Region\nR1,T1,2025-03-03,5,\nR2,T2,2025-03-03,4,\nR3,T3,2025-03-03,2,north\n",
    );
    w.write(
        "a.csv",
        b"ticket_id,created_at,Region\nT1,2025-03-01,emea\n",
    );
    w.write(
        "b.csv",
        b"ticket_id,created_at,region\nT2,2025-03-01,apac\n",
    );
    w.write("e.csv", b"ticket_id,created_at\nT2,2025-03-01\n");
    let out = w
        .cxm()
        .args([
            "surveys",
            "s.csv",
            "--tickets",
            "a.csv",
            "--tickets",
            "e.csv",
        ])
        .args(["--by", "Region"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(
        err.contains("e.csv: --by Region: no such field or column"),
        "{err}"
    );
    // One ticket file: R1 takes its ticket's emea, R3 keeps north, R2 no group.
    let rows = w.csv_rows(&["surveys", "s.csv", "--tickets", "a.csv", "--by", "Region"]);
    let groups: Vec<&str> = rows.iter().map(|r| r["Region"].as_str()).collect();
    assert_eq!(groups, ["emea", "north", ""]);
    // With b.csv's `region`: R2 takes its ticket's apac (groups sorted by name).
    let rows = w.csv_rows(&[
        "surveys",
        "s.csv",
        "--tickets",
        "a.csv",
        "--tickets",
        "b.csv",
        "--by",
        "Region",
    ]);
    let groups: Vec<&str> = rows.iter().map(|r| r["Region"].as_str()).collect();
    assert_eq!(groups, ["apac", "emea", "north"]);
}

/// A survey kind holding a character that prints as nothing (a zero-width space, a
/// word joiner) is the kind it reads as, as a header is: three CSAT answers, 5, 1
/// and 1 (one satisfied: 33.33 %, mean 7/3). They were another kind of survey,
/// counted apart without a word.
#[test]
fn kinds_read_without_invisible_characters() {
    let wd = Workdir::new();
    wd.write(
        "zk.csv",
        "response_id,submitted_at,survey,score\nR1,2025-01-01T10:00:00Z,csat,5\n\
R2,2025-01-01T10:00:00Z,csat\u{200b},1\nR3,2025-01-01T10:00:00Z,CSAT\u{2060},1\n"
            .as_bytes(),
    );
    let row = &wd.csv_rows(&["surveys", "zk.csv"])[0];
    assert_num(row, "csat_responses", 3.0);
    assert_num(row, "csat_pct", 100.0 / 3.0);
    assert_num(row, "csat_mean", 7.0 / 3.0);
}

/// Seven satisfaction answers, two pairs of which read as one point of the default
/// 1–5 scale (`Satisfied` and `Somewhat satisfied` both 4): said, with the way to
/// give each its score. Five answers of the 1–5 scale say nothing.
#[test]
fn labels_of_a_longer_scale_sharing_a_point_are_said() {
    let wd = Workdir::new();
    let answers = [
        "Very satisfied",
        "Satisfied",
        "Somewhat satisfied",
        "Neutral",
        "Somewhat dissatisfied",
        "Dissatisfied",
        "Very dissatisfied",
    ];
    let rows = |answers: &[&str]| {
        let mut csv = String::from("response_id,submitted_at,csat\n");
        for (i, a) in answers.iter().enumerate() {
            csv.push_str(&format!("{i},2025-03-01 10:00,{a}\n"));
        }
        csv
    };
    wd.write("seven.csv", rows(&answers).as_bytes());
    let (_, err) = wd.csv_and_stderr(&["surveys", "seven.csv"]);
    assert!(
        err.contains("csat: 'Satisfied' and 'Somewhat satisfied' both read as 4 on the 1-5 scale")
            && err.contains("(and its scale: --scale csat=1-7)"),
        "{err}"
    );
    // `inspect` lists it among the problems (it said "none found").
    let out = wd.cxm().args(["inspect", "seven.csv"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(
            "  - csat: 'Satisfied' and 'Somewhat satisfied' both read as 4 on the 1-5 scale"
        ),
        "{text}"
    );
    wd.write(
        "five.csv",
        rows(&[answers[0], answers[1], answers[3], answers[5], answers[6]]).as_bytes(),
    );
    let (_, err) = wd.csv_and_stderr(&["surveys", "five.csv"]);
    assert!(!err.contains("both read as"), "{err}");
    let out = wd.cxm().args(["inspect", "five.csv"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        !text.contains("both read as") && text.contains("none found"),
        "{text}"
    );
    // The scale named is the longer one of the same way round: effort answers (5-1,
    // detected) of a seven-point item are 7-1's, not 1-7's; on a seven-point scale
    // two labels of one point are synonyms, said of nothing.
    wd.write(
        "effort.csv",
        b"response_id,submitted_at,survey,score\n1,2025-03-01T10:00:00Z,ces,Very low effort\n\
2,2025-03-01T10:00:00Z,ces,Moderate effort\n3,2025-03-01T10:00:00Z,ces,Neither high nor low effort\n\
4,2025-03-01T10:00:00Z,ces,Very high effort\n",
    );
    let (_, err) = wd.csv_and_stderr(&["surveys", "effort.csv"]);
    assert!(
        err.contains("both read as 3 on the 5-1 scale")
            && err.contains("(and its scale: --scale ces=7-1)"),
        "{err}"
    );
    wd.write(
        "agree.csv",
        b"response_id,submitted_at,survey,score\n1,2025-03-01T10:00:00Z,ces,Neutral\n\
2,2025-03-01T10:00:00Z,ces,Neither agree nor disagree\n3,2025-03-01T10:00:00Z,ces,Strongly agree\n",
    );
    let (_, err) = wd.csv_and_stderr(&["surveys", "agree.csv", "--scale", "ces=1-7"]);
    assert!(!err.contains("both read as"), "{err}");
}

/// A CSAT column whose sampled rows are all surveys offered and not answered (an
/// export sorted with them first): the answers past them off the default scale are
/// said to be, in wide and long form (8 of the 10 answers are 6 to 10).
#[test]
fn answers_off_the_scale_after_offered_rows_are_said() {
    let wd = Workdir::new();
    let scores = ["1", "2", "6", "7", "8", "9", "10", "6", "7", "8"];
    let (mut wide, mut long) = (
        String::from("response_id,submitted_at,csat\n"),
        String::from("response_id,submitted_at,survey,score\n"),
    );
    for i in 0..2000 {
        wide.push_str(&format!("{i},2025-03-01 10:00,Offered\n"));
        long.push_str(&format!("{i},2025-03-01 10:00,csat,Offered\n"));
    }
    for (i, v) in scores.iter().enumerate() {
        wide.push_str(&format!("a{i},2025-03-01 10:00,{v}\n"));
        long.push_str(&format!("a{i},2025-03-01 10:00,csat,{v}\n"));
    }
    wd.write("wide.csv", wide.as_bytes());
    wd.write("long.csv", long.as_bytes());
    for file in ["wide.csv", "long.csv"] {
        let (out, err) = wd.csv_and_stderr(&["surveys", file]);
        assert!(
            err.contains("8 of 10 csat rows score outside the default CSAT scale 1-5"),
            "{file}: {err}"
        );
        assert!(err.contains("held no answer"), "{file}: {err}");
        assert_num(&parse_csv(&out)[0], "csat_responses", 2.0);
    }
}

/// Effort words in long-form CES rows past the sampled rows (which held only NPS)
/// are rejected as unknown labels, and the warning names `--scale ces=5-1`; given,
/// 1, 2, 4 and 1 read reversed: 5, 4, 2, 5, mean 4.
#[test]
fn effort_words_past_the_sample_name_the_reversed_scale() {
    let wd = Workdir::new();
    let mut csv = String::from("response_id,submitted_at,survey,score\n");
    for i in 0..2000 {
        csv.push_str(&format!("{i},2025-03-01 10:00,nps,9\n"));
    }
    for (i, v) in [
        "Very low effort",
        "Low effort",
        "High effort",
        "Very low effort",
    ]
    .iter()
    .enumerate()
    {
        csv.push_str(&format!("e{i},2025-03-01 10:00,ces,{v}\n"));
    }
    wd.write("late.csv", csv.as_bytes());
    let (_, err) = wd.csv_and_stderr(&["surveys", "late.csv"]);
    assert!(
        err.contains("ces: 4 answers such as 'Very low effort' are of the effort item"),
        "{err}"
    );
    assert!(err.contains("give --scale ces=5-1"), "{err}");
    let rows = wd.csv_rows(&["surveys", "late.csv", "--scale", "ces=5-1", "-q"]);
    assert_num(&rows[0], "ces_mean", 4.0);
}

/// An unknown `--scale` for any measure is a usage error (exit 2) before the data is
/// judged: the CSAT scores of 8 to 10 would stop the run first (exit 3).
#[test]
fn an_unknown_scale_is_refused_before_the_data_is_judged() {
    let wd = Workdir::new();
    wd.write(
        "mis.csv",
        b"response_id,submitted_at,csat\n1,2025-03-01 10:00,9\n2,2025-03-01 10:00,10\n3,2025-03-01 10:00,8\n",
    );
    let out = wd
        .cxm()
        .args(["surveys", "mis.csv", "--scale", "nps=1-10"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("--scale nps=1-10: unknown scale"), "{err}");
}

/// Good/bad's labels share their two points by design (Zendesk's `Good with
/// comment`, Zoho's `Okay` beside `Bad`): nothing said of them.
#[test]
fn good_bad_labels_sharing_points_are_not_said() {
    let wd = Workdir::new();
    wd.write(
        "gb.csv",
        b"response_id,submitted_at,csat\nR1,2025-01-01T00:00:00Z,Good\nR2,2025-01-01T00:00:00Z,Good with comment\nR3,2025-01-01T00:00:00Z,Bad\nR4,2025-01-01T00:00:00Z,Bad with comment\n",
    );
    let (out, err) = wd.csv_and_stderr(&["surveys", "gb.csv"]);
    assert!(!err.contains("both read as"), "{err}");
    assert_num(&parse_csv(&out)[0], "csat_pct", 50.0);
}

/// Sampled rows all `Not Offered` (not only `Offered`): the answers past them off
/// the default scale are said to be (20 of 25 are 6 to 10).
#[test]
fn answers_off_the_scale_after_not_offered_rows_are_said() {
    let wd = Workdir::new();
    let mut csv = String::from("response_id,submitted_at,csat\n");
    for i in 0..2100 {
        csv.push_str(&format!("{i},2025-03-01 10:00,Not Offered\n"));
    }
    for i in 0..25 {
        let v = if i < 20 { 6 + i % 5 } else { 4 };
        csv.push_str(&format!("a{i},2025-03-01 10:00,{v}\n"));
    }
    wd.write("off.csv", csv.as_bytes());
    let (_, err) = wd.csv_and_stderr(&["surveys", "off.csv"]);
    assert!(
        err.contains("20 of 25 csat rows score outside the default CSAT scale 1-5"),
        "{err}"
    );
}

/// An unknown `--scale` is refused as it is parsed (exit 2), also by a command
/// that reads no surveys (`report` of a folder of tickets) and before a missing
/// file is looked for.
#[test]
fn an_unknown_scale_is_refused_by_every_command() {
    let wd = Workdir::new();
    std::fs::create_dir(wd.path("d")).unwrap();
    std::fs::copy(fixture("tickets/basic.csv"), wd.path("d/tickets.csv")).unwrap();
    for args in [
        vec!["report", "d", "--scale", "ces=banana"],
        vec!["surveys", "missing.csv", "--scale", "csat=1-9"],
        vec!["surveys", "missing.csv", "--scale", "effort=1-5"],
    ] {
        let out = wd.cxm().args(&args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains("unknown scale") || err.contains("unknown measure"),
            "{err}"
        );
    }
}

/// `inspect` says what `surveys` will do with a file of both layouts (long form read,
/// the `csat` column not) and with repeated response ids (each row counted); and of
/// a ticket export, its repeated ticket ids (the last row kept).
#[test]
fn inspect_says_unread_layouts_and_repeated_ids() {
    let wd = Workdir::new();
    wd.write(
        "bf.csv",
        b"response_id,submitted_at,survey,score,csat\nR1,2025-01-01,nps,9,5\nR1,2025-01-02,nps,3,x\n",
    );
    let out = wd.cxm().args(["inspect", "bf.csv"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("text (not read)"), "{text}");
    assert!(
        text.contains("bf.csv: the scores are read one a row from 'survey' and 'score' (survey, score) and 'csat' (csat) not read"),
        "{text}"
    );
    assert!(
        text.contains("column 'response_id' (response_id): 1 sampled row repeats an earlier row's id (first at line 3: 'R1'); the metric commands count each row"),
        "{text}"
    );
    wd.write(
        "t.csv",
        b"ticket_id,created_at,team\nT1,2025-01-01T00:00:00Z,a\nT2,2025-01-01T00:00:00Z,a\nT1,2025-01-02T00:00:00Z,b\nT1,2025-01-03T00:00:00Z,b\n",
    );
    let out = wd.cxm().args(["inspect", "t.csv"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("column 'ticket_id' (ticket_id): 2 sampled rows repeat an earlier row's id (first at line 4: 'T1'); the metric commands keep the last row of each id"),
        "{text}"
    );
}

/// A long-form export whose kinds are a tool's names in another language: its rows
/// are counted apart as other kinds, and when they are more than three rows in four,
/// a warning names them (every figure but one NPS came out empty, nothing said). One
/// row of three says nothing but under `-v`.
#[test]
fn mostly_other_kinds_of_survey_are_warned_of() {
    let wd = Workdir::new();
    wd.write(
        "long.csv",
        b"response_id,submitted_at,survey,score\nR1,2025-01-03T10:00:00Z,Zufriedenheit,5\nR2,2025-01-03T11:00:00Z,Weiterempfehlung,3\nR3,2025-01-03T11:00:00Z,Zufriedenheit,4\nR4,2025-01-03T11:00:00Z,Zufriedenheit,2\nR5,2025-01-03T11:00:00Z,NPS,9\n",
    );
    let (out, err) = wd.csv_and_stderr(&["surveys", "long.csv"]);
    assert!(
        err.contains("long.csv: 4 of the 5 rows read name a kind of survey other than CSAT, CES or NPS ('Zufriedenheit', 'Weiterempfehlung'), counted apart"),
        "{err}"
    );
    let rows = parse_csv(&out);
    assert_num(&rows[0], "nps_responses", 1.0);
    wd.write(
        "few.csv",
        b"response_id,submitted_at,survey,score\nR1,2025-01-03T10:00:00Z,csat,5\nR2,2025-01-03T11:00:00Z,Weiterempfehlung,3\nR3,2025-01-03T11:00:00Z,NPS,9\n",
    );
    let (_, err) = wd.csv_and_stderr(&["surveys", "few.csv"]);
    assert!(!err.contains("other than CSAT"), "{err}");
    // More than 20 kinds: the first 20, and `…` for the rest.
    let mut many = String::from("submitted_at,survey,score\n");
    for i in 1..=25 {
        many.push_str(&format!("2025-01-01T00:00:00Z,Frage{i},4\n"));
    }
    wd.write("many.csv", many.as_bytes());
    let (_, err) = wd.csv_and_stderr(&["surveys", "many.csv"]);
    assert!(
        err.contains("'Frage19', 'Frage20', …), counted apart"),
        "{err}"
    );
    // A number past a float's range is no label to teach a config.
    wd.write(
        "nl.csv",
        b"submitted_at,nps\n2025-01-01T00:00:00Z,9\n2025-01-01T00:00:00Z,1e400\n",
    );
    let (_, err) = wd.csv_and_stderr(&["surveys", "nl.csv"]);
    assert!(
        err.contains("value '1e400')") && !err.contains("[labels.nps]"),
        "{err}"
    );
}

/// Labels with their accents written apart (`Tre` and a combining grave, as macOS
/// and some tools write them) are the labels written whole, either way round
/// between the file and the config: 5, 5, 5 and 1, three of four satisfied, mean 4.
#[test]
fn labels_in_either_unicode_form_are_one_label() {
    let wd = Workdir::new();
    wd.write(
        "s.csv",
        "csat\nTre\u{300}s satisfait\nTr\u{e8}s satisfait\nTR\u{c8}S SATISFAIT\nMe\u{301}content\n"
            .as_bytes(),
    );
    wd.write(
        "c.toml",
        "[labels.csat]\n\"Tr\u{e8}s satisfait\" = 5\n\"Me\u{301}content\" = 1\n".as_bytes(),
    );
    let (out, err) = wd.csv_and_stderr(&["surveys", "s.csv", "--config", "c.toml"]);
    assert!(!err.contains("rejected"), "{err}");
    let rows = parse_csv(&out);
    assert_num(&rows[0], "csat_responses", 4.0);
    assert_num(&rows[0], "csat_pct", 75.0);
    assert_num(&rows[0], "csat_mean", 4.0);
}

/// A "Don't know" answer is no score: the reject's advice names `--na` beside
/// `[labels]` (a label's score cannot be empty), and with `--na` the answer is
/// without a score: Very satisfied and Very dissatisfied, one of two satisfied.
#[test]
fn a_dont_know_answer_is_told_how_to_leave_out() {
    let wd = Workdir::new();
    wd.write(
        "s.csv",
        b"response_id,submitted_at,csat\n1,2025-03-01,Very satisfied\n2,2025-03-01,Don't know\n3,2025-03-01,Very dissatisfied\n",
    );
    let (_, err) = wd.csv_and_stderr(&["surveys", "s.csv"]);
    assert!(
        err.contains(
            "(or, for an answer that is no score, such as \"Don't know\", --na with the word)"
        ),
        "{err}"
    );
    let (out, err) = wd.csv_and_stderr(&["surveys", "s.csv", "--na", "Don't know"]);
    assert!(!err.contains("rejected"), "{err}");
    let rows = parse_csv(&out);
    assert_num(&rows[0], "csat_responses", 2.0);
    assert_num(&rows[0], "csat_pct", 50.0);
}

/// A time column whose name says UTC (`Submit Date (UTC)`, a Typeform export
/// without its `Network ID`, so no preset) is read as UTC: 22:30 UTC on 31 March is
/// April in Berlin (it was read as Berlin's own time, both responses in March).
/// Qualtrics' question-text row under a `ResponseId` first column is left out (it
/// was a rejected response, and `--strict` stopped).
#[test]
fn a_column_named_utc_is_utc_and_a_question_row_is_no_response() {
    let wd = Workdir::new();
    wd.write(
        "tf.csv",
        b"#,nps,Response Type,Start Date (UTC),Submit Date (UTC)\n\
          tok1,10,completed,2025-03-31 22:00:00,2025-03-31 22:30:00\n\
          tok2,0,completed,2025-03-30 10:00:00,2025-03-30 10:05:00\n",
    );
    let rows = wd.csv_rows(&[
        "surveys",
        "tf.csv",
        "--every",
        "month",
        "--tz",
        "Europe/Berlin",
    ]);
    let got: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r["period"].as_str(), r["nps"].as_str()))
        .collect();
    assert_eq!(got, [("2025-03", "-100"), ("2025-04", "100")]);
    wd.write(
        "q.csv",
        b"ResponseId,RecordedDate,Q1_NPS_GROUP,Q1\n\
          Response ID,Recorded Date,How likely - Group,How likely are you to recommend us?\n\
          R_1,2025-03-03 09:14:02,3,10\n\
          R_2,2025-03-04 09:14:02,1,2\n",
    );
    let rows = wd.csv_rows(&["surveys", "q.csv", "--strict"]);
    assert_num(&rows[0], "nps_responses", 2.0);
    assert_num(&rows[0], "nps", 0.0);
}

/// Google Forms' CSV download writes `2025/03/31 11:30:00 PM GMT-2`: a 12-hour clock
/// and an offset of one-digit hours (`GMT+5:30`, `GMT` alone). Each is read with its
/// own offset (no format fitted, exit 3, and no `--date-format` could read them):
/// 23:30 at −2 is 01:30 UTC on 1 April, 00:30 at +1 is 23:30 UTC on 31 March.
#[test]
fn google_forms_times_read_with_their_offsets() {
    let wd = Workdir::new();
    wd.write(
        "forms.csv",
        b"\"Timestamp\",\"Email Address\",\"How likely are you to recommend us?\"\n\
          \"2025/03/31 11:30:00 PM GMT-2\",\"a@x.com\",\"10\"\n\
          \"2025/04/01 12:30:00 AM GMT+1\",\"b@x.com\",\"6\"\n\
          \"2025/04/01 9:05:00 AM GMT+5:30\",\"c@x.com\",\"9\"\n\
          \"2025/04/02 3:45:10 PM GMT\",\"d@x.com\",\"3\"\n",
    );
    let rows = wd.csv_rows(&[
        "surveys",
        "forms.csv",
        "--map",
        "nps=How likely are you to recommend us?",
        "--every",
        "day",
        "--strict",
    ]);
    let got: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|r| {
            (
                r["period"].as_str(),
                r["nps_responses"].as_str(),
                r["nps"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("2025-03-31", "1", "-100"),
            ("2025-04-01", "2", "100"),
            ("2025-04-02", "1", "-100")
        ]
    );
    // inspect says nothing of times without an offset: each value has its own.
    let out = wd
        .cxm()
        .args(["inspect", "forms.csv", "--map", "submitted_at=Timestamp"])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("GMT%#z"), "{said}");
    assert!(!said.contains("no offset"), "{said}");
    // An offset no zone has after GMT is rejected with that reason, as in ISO form.
    wd.write(
        "p15.csv",
        b"ticket_id,created_at\n1,2025/03/04 1:00:00 AM GMT+15\n2,2025/03/04 1:00:00 AM GMT+1\n3,2025/03/04 2:00:00 AM GMT+1\n",
    );
    let (_, err) = wd.csv_and_stderr(&["tickets", "p15.csv", "--rejects", "r.csv"]);
    assert!(err.contains("1 rejected"), "{err}");
    let rejects = std::fs::read_to_string(wd.path("r.csv")).unwrap();
    assert!(
        rejects.contains("its offset is past every zone's (-12:00 to +14:00)"),
        "{rejects}"
    );
    // A pattern's own ` GMT` after its offset reads as it did: 10:15 at +01:00 is
    // 09:15 UTC, each on its day.
    wd.write(
        "tail.csv",
        b"ticket_id,created_at\n1,2025-03-04 10:15:00 +0100 GMT\n2,2025-03-05 00:15:00 +0100 GMT\n",
    );
    let rows = wd.csv_rows(&[
        "tickets",
        "tail.csv",
        "--date-format",
        "%Y-%m-%d %H:%M:%S %z GMT",
        "--every",
        "day",
    ]);
    let days: Vec<(&str, &str)> = (rows.iter())
        .map(|r| (r["period"].as_str(), r["tickets"].as_str()))
        .collect();
    assert_eq!(days, [("2025-03-04", "2")]);
}

/// A Qualtrics export with two NPS questions, each beside its `_NPS_GROUP`: the
/// first is read and the second named, with the `--map` that reads it (it was passed
/// over without a word): Q1's 10 and 9 are NPS 100, Q5's 0 and 2 are −100.
#[test]
fn a_second_nps_question_is_named() {
    let wd = Workdir::new();
    wd.write(
        "q.csv",
        b"ResponseId,RecordedDate,Q1_NPS_GROUP,Q1,Q5_NPS_GROUP,Q5\n\
          R_1,2025-03-03 09:00:00,3,10,1,0\n\
          R_2,2025-03-03 10:00:00,3,9,1,2\n",
    );
    let (out, err) = wd.csv_and_stderr(&["surveys", "q.csv"]);
    assert_num(&parse_csv(&out)[0], "nps", 100.0);
    assert!(
        err.contains(
            "q.csv: 2 questions of nps (Q1, Q5): 'Q1' is read (--map nps=Q5 reads another)"
        ),
        "{err}"
    );
    let (out, err) = wd.csv_and_stderr(&["surveys", "q.csv", "--map", "nps=Q5"]);
    assert_num(&parse_csv(&out)[0], "nps", -100.0);
    assert!(!err.contains("questions of nps"), "{err}");
}

/// Two scales for one measure are refused (exit 2), in every command taking
/// `--scale`: the figure would follow the order of the flags (4 and 5 are the top
/// two boxes of 1–5, of 1–7 none). The same scale twice is one.
#[test]
fn a_measure_given_two_scales_is_refused() {
    let wd = Workdir::new();
    wd.write(
        "s.csv",
        b"response_id,submitted_at,csat\nR1,2025-01-06T10:00:00Z,5\nR2,2025-01-06T11:00:00Z,4\nR3,2025-01-06T12:00:00Z,2\n",
    );
    let two = ["--scale", "csat=1-5", "--scale", "csat=1-7"];
    for run in [
        vec!["surveys", "s.csv"],
        vec!["report", "--surveys", "s.csv"],
        vec!["sql", "surveys", "--dialect", "duckdb"],
    ] {
        let out = wd.cxm().args(&run).args(two).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{run:?} {out:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("--scale csat is given twice ('1-5' and '1-7')"),
            "{err}"
        );
    }
    let rows = wd.csv_rows(&[
        "surveys", "s.csv", "--scale", "csat=1-5", "--scale", "csat=1-5",
    ]);
    assert_num(&rows[0], "csat_pct", 200.0 / 3.0);
}

/// Ticket ids pandas wrote as floats with decimal commas (`1001,0`, a column with a
/// gap saved with `decimal=','`) meet the responses' `1001`: team a's one response
/// is satisfied (5), team b's not (1).
#[test]
fn decimal_comma_float_ids_meet_their_integers() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket_id;created_at;team\n1001,0;2025-03-03 09:00:00;a\n1002,0;2025-03-03 10:00:00;b\n;2025-03-03 11:00:00;b\n",
    );
    wd.write(
        "s.csv",
        b"response_id,submitted_at,ticket_id,csat\n1,2025-03-04 09:00:00,1001,5\n2,2025-03-04 09:00:00,1002,1\n",
    );
    let rows = wd.csv_rows(&[
        "surveys",
        "s.csv",
        "--tickets",
        "t.csv",
        "--by",
        "team",
        "-q",
    ]);
    let got: Vec<(&str, &str)> = (rows.iter())
        .map(|r| (r["team"].as_str(), r["csat_responses"].as_str()))
        .collect();
    assert_eq!(got, [("a", "1"), ("b", "1")]);
    assert_num(&rows[0], "csat_pct", 100.0);
    assert_num(&rows[1], "csat_pct", 0.0);
}

/// Long-form exports joined with `cat` repeat their header as a row: its `survey`
/// cell is the column's own name, no kind of survey, and the row is rejected for its
/// time, located, as a ticket file's repeated header is (it was counted as another
/// kind of survey without a word). By hand: two CSAT answers, 5 and 4.
#[test]
fn a_repeated_header_row_is_rejected_not_another_kind() {
    let wd = Workdir::new();
    wd.write(
        "s.csv",
        b"response_id,submitted_at,Survey Type,score\nR1,2025-01-01T10:00:00Z,csat,5\n\
response_id,submitted_at,Survey Type,score\nR2,2025-01-02T10:00:00Z,csat,4\n",
    );
    let (out, err) = wd.csv_and_stderr(&["surveys", "s.csv", "--map", "survey=Survey Type", "-v"]);
    let rows = parse_csv(&out);
    assert_eq!(rows[0]["csat_responses"], "2");
    assert_num(&rows[0], "csat_pct", 100.0);
    assert!(
        err.contains("1 rejected: unparseable timestamp in submitted_at (first at s.csv:3"),
        "{err}"
    );
    assert!(!err.contains("other kinds of survey"), "{err}");
}
