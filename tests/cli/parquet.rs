//! Parquet inputs: the same data as CSV and as typed Parquet give the same output, and
//! rejects in a Parquet file are located by row.

use polars::prelude::*;

use crate::common::{parse_csv, Workdir};

/// Write `df` as a Parquet file in `wd`.
fn write_parquet(wd: &Workdir, name: &str, mut df: DataFrame) -> std::path::PathBuf {
    let path = wd.path(name);
    let file = std::fs::File::create(&path).unwrap();
    ParquetWriter::new(file).finish(&mut df).unwrap();
    path
}

/// A CSV file read by polars with its timestamps and dates typed, as an export tool
/// writing Parquet would hold them.
fn typed(csv: &std::path::Path) -> DataFrame {
    LazyCsvReader::new(PlRefPath::new(csv.to_str().unwrap()))
        .with_try_parse_dates(true)
        .finish()
        .unwrap()
        .collect()
        .unwrap()
}

/// stdout of a successful `cxm ARGS --format csv`.
fn run(wd: &Workdir, args: &[&str]) -> Vec<u8> {
    wd.csv_output(args)
}

#[test]
fn the_same_data_as_csv_and_as_parquet_gives_the_same_output() {
    let wd = Workdir::new();
    // 100,000 tickets: a Parquet file read in more than one slice.
    wd.cxm()
        .args([
            "sample",
            "--out",
            "csv",
            "--tickets",
            "100000",
            "--seed",
            "3",
        ])
        .assert()
        .success();
    std::fs::create_dir(wd.path("pq")).unwrap();
    for name in ["tickets", "surveys", "subscriptions"] {
        let df = typed(&wd.path(&format!("csv/{name}.csv")));
        if name == "tickets" {
            // Typed, as Parquet holds them: zoned timestamps, integer counts.
            assert!(matches!(
                df.column("created_at").unwrap().dtype(),
                DataType::Datetime(_, Some(_))
            ));
            assert!(df.column("agent_replies").unwrap().dtype().is_integer());
        }
        write_parquet(&wd, &format!("pq/{name}.parquet"), df);
    }
    let runs: [&[&str]; 4] = [
        &[
            "tickets",
            "{}/tickets.{}",
            "--by",
            "team",
            "--every",
            "month",
        ],
        &[
            "surveys",
            "{}/surveys.{}",
            "--tickets",
            "{}/tickets.{}",
            "--by",
            "agent",
        ],
        &[
            "churn",
            "{}/subscriptions.{}",
            "--by",
            "plan",
            "--period",
            "2025",
        ],
        &["report", "{}", "--period", "2025-Q3"],
    ];
    for args in runs {
        let with = |dir: &str, ext: &str| -> Vec<String> {
            args.iter()
                .map(|a| a.replacen("{}", dir, 1).replacen("{}", ext, 1))
                .collect()
        };
        let csv = with("csv", "csv");
        let pq = with("pq", "parquet");
        let from_csv = run(&wd, &csv.iter().map(String::as_str).collect::<Vec<_>>());
        let from_parquet = run(&wd, &pq.iter().map(String::as_str).collect::<Vec<_>>());
        assert!(
            parse_csv(&from_csv).len() >= 3,
            "{args:?}: too few rows to compare"
        );
        assert_eq!(
            String::from_utf8_lossy(&from_parquet),
            String::from_utf8_lossy(&from_csv)
                .replace("csv/", "pq/")
                .replace(".csv", ".parquet"),
            "{args:?}"
        );
    }
}

#[test]
fn a_rejected_value_in_parquet_is_located_by_row() {
    let wd = Workdir::new();
    let at = |h: u32, m: u32| {
        chrono::NaiveDate::from_ymd_opt(2025, 3, 3)
            .unwrap()
            .and_hms_opt(h, m, 0)
            .unwrap()
    };
    let df = df!(
        "ticket_id" => ["T1", "T2", "T3", "T4"],
        "created_at" => [at(9, 0), at(10, 0), at(11, 0), at(12, 0)],
        // T3 is answered before it was created: a rejected value; T4 is unanswered.
        "first_response_at" => [Some(at(9, 30)), Some(at(11, 0)), Some(at(10, 30)), None],
        "team" => ["a", "a", "b", "b"],
    )
    .unwrap();
    let path = write_parquet(&wd, "t.parquet", df);
    let out = wd
        .cxm()
        .args([
            "tickets",
            path.to_str().unwrap(),
            "--by",
            "team",
            "--format",
            "csv",
        ])
        .args(["--rejects", "rejects.csv"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("t.parquet: row 3, column 'first_response_at', value '2025-03-03T10:30:00'"),
        "{err}"
    );
    let rows = parse_csv(&out.stdout);
    // a: 30 and 60 minutes → median 0.75 h; b: nothing usable to average.
    assert_eq!(
        (rows[0]["team"].as_str(), rows[0]["tickets"].as_str()),
        ("a", "2")
    );
    assert_eq!(rows[0]["first_response_median_hours"], "0.75");
    assert_eq!(
        (rows[1]["tickets"].as_str(), rows[1]["responded"].as_str()),
        ("2", "0")
    );
    let rejects = parse_csv(&std::fs::read(wd.path("rejects.csv")).unwrap());
    assert_eq!(rejects.len(), 1);
    assert_eq!(rejects[0]["line"], "3");
    assert_eq!(rejects[0]["ticket_id"], "T3");
    assert_eq!(rejects[0]["team"], "b");
}

/// A Qualtrics export saved as Parquet with its question-text and import-id rows:
/// they are left out as from the CSV (its zone kept: 20:00 in Denver on 31 May is 1
/// June in UTC), and a rejected score keeps its row of the file: the question texts
/// are row 1, the import ids row 2, the two responses rows 3 and 4.
#[test]
fn a_qualtrics_export_in_parquet_leaves_out_its_extra_header_rows() {
    let wd = Workdir::new();
    let df = df!(
        "RecordedDate" => [
            "Recorded Date",
            r#"{"ImportId":"recordedDate","timeZone":"America/Denver"}"#,
            "2025-05-31 20:00:00",
            "2025-05-31 09:00:00",
        ],
        "ResponseId" => ["Response ID", r#"{"ImportId":"_recordId"}"#, "R_1", "R_2"],
        "Duration (in seconds)" => ["Duration (in seconds)", r#"{"ImportId":"duration"}"#, "60", "60"],
        "Finished" => ["Finished", r#"{"ImportId":"finished"}"#, "1", "1"],
        "Q1" => ["How likely?", r#"{"ImportId":"QID1"}"#, "10", "11"],
        "Q1_NPS_GROUP" => ["Group", r#"{"ImportId":"QID1_NPS_GROUP"}"#, "Promoter", ""],
    )
    .unwrap();
    write_parquet(&wd, "q.parquet", df);
    let out = wd
        .cxm()
        .args([
            "surveys",
            "q.parquet",
            "--every",
            "month",
            "--format",
            "csv",
            "-v",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    let rows = parse_csv(&out.stdout);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0]["period"], "2025-06");
    assert_eq!(rows[0]["nps_responses"], "1");
    assert!(err.contains("2 rows read = 1 used + 1 rejected"), "{err}");
    assert!(err.contains("q.parquet: row 4"), "{err}");
}

/// A legacy Qualtrics export (`V1…` over a row of names) and a SurveyMonkey export
/// of expanded questions (a column per answer, labelled in its second row), each
/// saved as Parquet with the rows as the CSV holds them, read as their CSV: R_1 a
/// promoter (10), R_2 a detractor (3), in June: NPS 0; CSAT 5 and 3 on 1–5: one of
/// two satisfied, mean 4. A rejected score is located at its row of the file: the
/// answer-label row is row 1, so the second response is row 3, in the command and
/// in `inspect`.
#[test]
fn survey_layouts_saved_as_parquet_read_as_their_csv() {
    let wd = Workdir::new();
    let legacy = df!(
        "V1" => ["ResponseID", "R_1", "R_2"],
        "V8" => ["StartDate", "2025-06-01 10:00:00", "2025-06-02 10:00:00"],
        "V9" => ["EndDate", "2025-06-01 10:05:00", "2025-06-02 10:05:00"],
        "Q1" => ["How likely?", "10", "3"],
    )
    .unwrap();
    write_parquet(&wd, "legacy.parquet", legacy);
    let rows = parse_csv(&run(
        &wd,
        &[
            "surveys",
            "legacy.parquet",
            "--map",
            "nps=Q1",
            "--every",
            "month",
        ],
    ));
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0]["period"], "2025-06");
    assert_eq!(
        (
            rows[0]["promoters"].as_str(),
            rows[0]["detractors"].as_str(),
            rows[0]["nps"].as_str()
        ),
        ("1", "1", "0")
    );
    let expanded = |second: &str| {
        df!(
            "Respondent ID" => ["", "1", "2"],
            "Collector ID" => ["", "50", "50"],
            "Start Date" => ["", "06/01/2025 10:00:00 AM", "06/02/2025 10:00:00 AM"],
            "End Date" => ["", "06/01/2025 10:05:00 AM", "06/02/2025 10:05:00 AM"],
            "Channel?" => ["Email", "Email", ""],
            "" => ["Phone", "", "Phone"],
            "How satisfied?" => ["Response", "5", second],
        )
        .unwrap()
    };
    write_parquet(&wd, "sm.parquet", expanded("3"));
    let rows = parse_csv(&run(
        &wd,
        &["surveys", "sm.parquet", "--map", "csat=How satisfied?"],
    ));
    assert_eq!(rows[0]["csat_responses"], "2", "{rows:?}");
    assert_eq!(rows[0]["csat_pct"], "50");
    assert_eq!(rows[0]["csat_mean"], "4");
    write_parquet(&wd, "bad.parquet", expanded("9"));
    let out = (wd.cxm())
        .args([
            "surveys",
            "bad.parquet",
            "--map",
            "csat=How satisfied?",
            "-o",
            "x.csv",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.parquet: row 3"), "{err}");
    let out = (wd.cxm())
        .args(["inspect", "bad.parquet", "--map", "csat=How satisfied?"])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("first at row 3"), "{said}");
    assert!(said.contains("Parquet"), "{said}");
    let out = (wd.cxm())
        .args(["inspect", "-", "--map", "csat=How satisfied?"])
        .write_stdin(std::fs::read(wd.path("bad.parquet")).unwrap())
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.lines().next().unwrap_or("").contains("Parquet"),
        "{said}"
    );
    // Typed timestamps in such a file are instants, read without a --date-format
    // that the CSV beside it needs: 1 and 2 June, from the Parquet file, 3 June from
    // the CSV, a response each.
    let typed = df!(
        "Respondent ID" => [None, Some(1i64), Some(2)],
        "Collector ID" => [None, Some(50i64), Some(50)],
        "Start Date" => [None, Some("2025-06-01 10:00:00"), Some("2025-06-02 10:00:00")],
        "End Date" => [None, Some("2025-06-01 10:05:00"), Some("2025-06-02 10:05:00")],
        "How satisfied?" => ["Response", "5", "3"],
    )
    .unwrap()
    .lazy()
    .with_columns([
        col("Start Date")
            .str()
            .to_datetime(None, None, StrptimeOptions::default(), lit("raise")),
        col("End Date")
            .str()
            .to_datetime(None, None, StrptimeOptions::default(), lit("raise")),
    ])
    .collect()
    .unwrap();
    write_parquet(&wd, "typed.parquet", typed);
    wd.write(
        "more.csv",
        b"Respondent ID,Collector ID,Start Date,End Date,How satisfied?\n,,,,Response\n\
          3,50,06/03/2025 10:00:00 AM,06/03/2025 10:05:00 AM,4\n",
    );
    let rows = parse_csv(&run(
        &wd,
        &[
            "surveys",
            "more.csv",
            "typed.parquet",
            "--map",
            "csat=How satisfied?",
            "--date-format",
            "%m/%d/%Y %I:%M:%S %p",
            "--every",
            "day",
        ],
    ));
    let days: Vec<(&str, &str)> = (rows.iter())
        .map(|r| (r["period"].as_str(), r["csat_responses"].as_str()))
        .collect();
    assert_eq!(
        days,
        [
            ("2025-06-01", "1"),
            ("2025-06-02", "1"),
            ("2025-06-03", "1")
        ]
    );
}

#[test]
fn parquet_from_stdin_reads_as_the_file_does() {
    let wd = Workdir::new();
    let df = df!(
        "ticket_id" => ["T1", "T2", "T3"],
        "created_at" => ["2025-03-03T09:00:00Z", "2025-03-03T10:00:00Z", "2025-03-04T10:00:00Z"],
        "first_response_at" => [Some("2025-03-03T10:30:00Z"), None, Some("2025-03-04T10:15:00Z")],
    )
    .unwrap();
    let path = write_parquet(&wd, "t.parquet", df);
    let out = wd
        .cxm()
        .args(["tickets", "-", "--every", "day", "--format", "csv"])
        .write_stdin(std::fs::read(&path).unwrap())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows = parse_csv(&out.stdout);
    // 2025-03-03: two tickets, one answered after 1.5 h; 2025-03-04: one, after 0.25 h.
    assert_eq!(rows.len(), 2);
    assert_eq!(
        (
            rows[0]["period"].as_str(),
            rows[0]["tickets"].as_str(),
            rows[0]["responded"].as_str()
        ),
        ("2025-03-03", "2", "1")
    );
    assert_eq!(rows[0]["first_response_mean_hours"], "1.5");
    assert_eq!(rows[1]["first_response_mean_hours"], "0.25");
    assert_eq!(
        out.stdout,
        run(&wd, &["tickets", path.to_str().unwrap(), "--every", "day"])
    );
}

/// A gzip of a Parquet file (`t.parquet.gz`, from a file or stdin) is read as the
/// Parquet it holds: the same output as the file itself.
#[test]
fn a_gzipped_parquet_file_reads_as_the_file_does() {
    use std::io::Write;
    let wd = Workdir::new();
    let df = df!(
        "ticket_id" => ["T1", "T2"],
        "created_at" => ["2025-03-03T09:00:00Z", "2025-03-03T10:00:00Z"],
        "first_response_at" => [Some("2025-03-03T10:30:00Z"), None],
    )
    .unwrap();
    let path = write_parquet(&wd, "t.parquet", df);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&std::fs::read(&path).unwrap()).unwrap();
    let zipped = wd.write("t.parquet.gz", &gz.finish().unwrap());
    let plain = run(&wd, &["tickets", path.to_str().unwrap()]);
    assert_eq!(parse_csv(&plain)[0]["first_response_mean_hours"], "1.5");
    assert_eq!(run(&wd, &["tickets", zipped.to_str().unwrap()]), plain);
    let out = wd
        .cxm()
        .args(["tickets", "-", "--format", "csv"])
        .write_stdin(std::fs::read(&zipped).unwrap())
        .output()
        .unwrap();
    assert_eq!(out.stdout, plain);
}

#[test]
fn inspect_reads_a_parquet_schema() {
    let wd = Workdir::new();
    let at = chrono::NaiveDate::from_ymd_opt(2025, 3, 3)
        .unwrap()
        .and_hms_opt(9, 0, 0)
        .unwrap();
    let df = df!(
        "Ticket ID" => ["1", "2", "3"],
        "Created at" => [at, at, at],
        "Group" => ["a", "b", "a"],
        "Replies" => [1i64, 2, 3],
    )
    .unwrap();
    let path = write_parquet(&wd, "z.parquet", df);
    let out = wd
        .cxm()
        .args(["inspect", path.to_str().unwrap()])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text.contains("z.parquet: 3 rows, 4 columns, Parquet;"),
        "{text}"
    );
    let line = |column: &str| {
        text.lines()
            .find(|l| l.contains(column))
            .unwrap_or_else(|| panic!("no {column} in {text}"))
            .to_string()
    };
    assert!(line("Created at").contains("created_at") && line("Created at").contains("timestamp"));
    assert!(line("Replies").contains("agent_replies") && line("Replies").contains("integer"));
}

/// Money as DECIMAL (how warehouses export it) reads as its text: the same churn
/// figures as the CSV with the same amounts.
#[test]
fn decimal_amounts_read_as_their_text() {
    let wd = Workdir::new();
    let csv = "customer_id,start_date,end_date,mrr\n\
               A,2025-01-01,2025-02-10,29.00\n\
               B,2025-01-01,,100.50\n\
               C,2025-01-15,,0.25\n";
    wd.write("s.csv", csv.as_bytes());
    let text = |values: &[&str]| Series::new("mrr".into(), values);
    let mrr = text(&["29.00", "100.50", "0.25"])
        .cast(&DataType::Decimal(10, 2))
        .unwrap();
    assert!(matches!(mrr.dtype(), DataType::Decimal(..)));
    let df = DataFrame::new(
        3,
        vec![
            Series::new("customer_id".into(), ["A", "B", "C"]).into(),
            Series::new(
                "start_date".into(),
                ["2025-01-01", "2025-01-01", "2025-01-15"],
            )
            .into(),
            Series::new("end_date".into(), [Some("2025-02-10"), None, None]).into(),
            mrr.into(),
        ],
    )
    .unwrap();
    write_parquet(&wd, "s.parquet", df);
    let args = |f: &'static str| vec!["churn", f, "--every", "month"];
    assert_eq!(run(&wd, &args("s.parquet")), run(&wd, &args("s.csv")));
    // February: A, B and C at the start (29 + 100.50 + 0.25), A's 29 churned.
    let rows = parse_csv(&run(&wd, &args("s.parquet")));
    let feb = rows.iter().find(|r| r["period"] == "2025-02").unwrap();
    assert_eq!(feb["mrr_start"], "129.75");
    assert_eq!(feb["mrr_churned"], "29");
}

/// Lists and bytes have no text form: a file with such a column reads when the
/// column is not used, naming it is an error that says which column, and `inspect`
/// names both as columns cxm does not read.
#[test]
fn a_list_or_bytes_column_is_an_error_only_when_used() {
    let wd = Workdir::new();
    let tags = Series::new(
        "tags".into(),
        [
            Series::new("".into(), ["vip", "refund"]),
            Series::new("".into(), ["refund"]),
        ],
    );
    assert!(matches!(tags.dtype(), DataType::List(_)));
    let blob = Series::new("blob".into(), [&[0xffu8, 0x00][..], &[0x80u8][..]]);
    let df = DataFrame::new(
        2,
        vec![
            Series::new("ticket_id".into(), ["A", "B"]).into(),
            Series::new(
                "created_at".into(),
                ["2025-01-01T10:00:00Z", "2025-01-01T11:00:00Z"],
            )
            .into(),
            Series::new(
                "resolved_at".into(),
                ["2025-01-01T12:00:00Z", "2025-01-01T12:00:00Z"],
            )
            .into(),
            tags.into(),
            blob.into(),
        ],
    )
    .unwrap();
    write_parquet(&wd, "t.parquet", df);
    let rows = parse_csv(&run(&wd, &["tickets", "t.parquet"]));
    // Resolved after 2 h and 1 h.
    assert_eq!(rows[0]["resolved"], "2");
    assert_eq!(rows[0]["resolution_mean_hours"], "1.5");
    let out = wd.cxm().args(["inspect", "t.parquet"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    for what in ["lists (not read)", "bytes (not read)"] {
        assert!(text.contains(what), "{text}");
    }
    // Their cells are not read, so how many are empty is not known: blank, not 2.
    let out = wd
        .cxm()
        .args(["inspect", "t.parquet", "--format", "csv"])
        .output()
        .unwrap();
    let columns = parse_csv(&out.stdout);
    for (column, empty) in [("resolved_at", "0"), ("tags", ""), ("blob", "")] {
        let row = columns.iter().find(|r| r["column"] == column).unwrap();
        assert_eq!(row["empty"], empty, "{column}");
    }
    assert!(
        text.contains("column 'tags' holds lists, which cxm does not read"),
        "{text}"
    );
    for (by, what) in [("tags", "lists"), ("blob", "bytes")] {
        let out = wd
            .cxm()
            .args(["tickets", "t.parquet", "--by", by])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(3), "{err}");
        assert!(
            err.contains(&format!("column '{by}' holds {what}")),
            "{err}"
        );
    }
}

/// A column of a type the reader cannot load (DuckDB's INTERVAL) is an error naming
/// it, not a crash.
#[test]
fn an_unloadable_column_type_is_an_error_not_a_crash() {
    let wd = Workdir::new();
    let file = crate::common::fixture("parquet/interval.parquet");
    for command in [
        vec!["tickets", file.as_str()],
        vec!["inspect", file.as_str()],
    ] {
        let out = wd.cxm().args(&command).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(3), "{err}");
        assert!(err.contains("column 'wait' is of type Interval"), "{err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}

/// A timestamp labelled with a fixed offset (`+05:30`, which polars cannot name) is
/// the UTC instant it is stored as: A created 04:30Z, answered 05:30Z (60 minutes);
/// B created 06:00Z, answered 08:00Z (120 minutes).
#[test]
fn a_timestamp_labelled_with_an_offset_reads_as_its_instant() {
    let wd = Workdir::new();
    let file = crate::common::fixture("parquet/offset_zone.parquet");
    let rows = parse_csv(&run(
        &wd,
        &[
            "tickets",
            file.as_str(),
            "--by",
            "ticket_id",
            "--time-unit",
            "minutes",
        ],
    ));
    let frt: Vec<&str> = (rows.iter())
        .map(|r| r["first_response_mean_minutes"].as_str())
        .collect();
    assert_eq!(frt, ["60", "120"]);
    wd.cxm().args(["inspect", file.as_str()]).assert().success();
}

/// A float id column with a gap (pandas' float64 for integers with a null) reads its
/// whole values as integers, so that tickets of customer 1001.0 meet the subscription
/// of customer `1001`: one ticket each for 1001, 1002.5 and no customer, and the
/// customer's MRR of 50 beside its ticket.
#[test]
fn whole_float_ids_read_as_integers() {
    let wd = Workdir::new();
    let df = DataFrame::new(
        3,
        vec![
            Series::new("ticket_id".into(), ["T1", "T2", "T3"]).into(),
            Series::new("created_at".into(), ["2025-01-02T10:00:00Z"; 3]).into(),
            Series::new("customer_id".into(), [Some(1001.0f64), Some(1002.5), None]).into(),
        ],
    )
    .unwrap();
    let tickets = write_parquet(&wd, "t.parquet", df);
    let rows = parse_csv(&run(
        &wd,
        &["tickets", tickets.to_str().unwrap(), "--by", "customer_id"],
    ));
    let ids: Vec<&str> = rows.iter().map(|r| r["customer_id"].as_str()).collect();
    assert_eq!(ids, ["1001", "1002.5", ""]);
    wd.write(
        "s.csv",
        b"customer_id,start_date,end_date,mrr\n1001,2024-12-01,,50\n",
    );
    let rows = parse_csv(&run(
        &wd,
        &[
            "customers",
            "--tickets",
            tickets.to_str().unwrap(),
            "--subscriptions",
            "s.csv",
            "--now",
            "2025-02-01T00:00:00Z",
        ],
    ));
    let customer = rows.iter().find(|r| r["customer_id"] == "1001").unwrap();
    assert_eq!(customer["tickets"], "1", "{rows:?}");
    assert_eq!(customer["mrr"], "50", "{rows:?}");
    assert_eq!(
        rows.iter().filter(|r| r["customer_id"] == "1001").count(),
        1
    );
}

/// Typed timestamps are instants, not text a `--date-format` reads: a Parquet file's
/// beside a day-first CSV read with `--date-format '%d/%m/%Y %H:%M'` (T1 answered in
/// 1 h on 2 January, T2's `03/01/2025` the 3rd of January, answered in 2 h): both in
/// January, first response 1.5 h on average. So too a workbook's date cells.
#[test]
fn a_date_format_leaves_typed_timestamps_alone() {
    let wd = Workdir::new();
    let iso = wd.write(
        "iso.csv",
        b"ticket_id,created_at,first_response_at\nT1,2025-01-02T10:00:00Z,2025-01-02T11:00:00Z\n",
    );
    let parquet = write_parquet(&wd, "t.parquet", typed(&iso));
    wd.write(
        "d.csv",
        b"ticket_id,created_at,first_response_at\nT2,03/01/2025 10:00,03/01/2025 12:00\n",
    );
    let rows = parse_csv(&run(
        &wd,
        &[
            "tickets",
            parquet.to_str().unwrap(),
            "d.csv",
            "--date-format",
            "%d/%m/%Y %H:%M",
            "--every",
            "month",
        ],
    ));
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0]["period"], "2025-01");
    assert_eq!(rows[0]["tickets"], "2");
    assert_eq!(rows[0]["first_response_mean_hours"], "1.5");
    let book = crate::common::fixture("excel/tickets.xlsx");
    let plain = run(&wd, &["tickets", &book, "--by", "team", "-q"]);
    // Nor does a pattern that would read the cells' ISO text with day and month
    // swapped (`%Y-%d-%m`: X3's 4 March to 5 March would be 3 April to 3 May).
    for pattern in ["%d/%m/%Y %H:%M", "%Y-%d-%m %H:%M:%S"] {
        let formatted = run(
            &wd,
            &[
                "tickets",
                &book,
                "--by",
                "team",
                "-q",
                "--date-format",
                pattern,
            ],
        );
        assert_eq!(
            String::from_utf8_lossy(&plain),
            String::from_utf8_lossy(&formatted),
            "{pattern}"
        );
        let from_parquet = run(
            &wd,
            &[
                "tickets",
                parquet.to_str().unwrap(),
                "-q",
                "--every",
                "month",
                "--date-format",
                pattern,
            ],
        );
        let rows = parse_csv(&from_parquet);
        // T1 of 2 January (read 1 February with day and month swapped).
        assert_eq!(rows[0]["period"], "2025-01", "{pattern}");
        assert_eq!(rows[0]["first_response_mean_hours"], "1", "{pattern}");
    }
    // Cell by cell: in one column, date cells (1: 1 h; 3: from a cell) and dates
    // typed in as text day-first (2: 3 h; 3: to 13:00 on 5 February, 4 h).
    let mixed = crate::common::fixture("excel/typed_and_text_dates.xlsx");
    let per_ticket = |sheet: &str, format: &str| {
        let rows = parse_csv(&run(
            &wd,
            &[
                "tickets",
                &mixed,
                "--sheet",
                sheet,
                "--date-format",
                format,
                "--per-ticket",
            ],
        ));
        let hours: Vec<String> = rows.iter().map(|r| r["resolution_hours"].clone()).collect();
        hours
    };
    assert_eq!(per_ticket("Mixed", "%d/%m/%Y %H:%M"), ["1", "3", "4"]);
    // Text the pattern reads is the pattern's, ISO-looking or not: `%Y-%d-%m` reads
    // 2 March to 3 March, 24 h.
    assert_eq!(per_ticket("Text", "%Y-%d-%m %H:%M:%S"), ["24"]);
    // Date cells beside an `N/A` typed in are a column of cells: `%Y-%d-%m` does not
    // swap them (1 h, none, 2 h); beside a date typed in year-day-month, a cell's
    // text is read as the cell (2 h each).
    assert_eq!(per_ticket("Cells", "%Y-%d-%m %H:%M:%S"), ["1", "", "2"]);
    assert_eq!(per_ticket("Ydm", "%Y-%d-%m %H:%M:%S"), ["2", "2"]);
    // Only a cell's own text is read as a cell: `2025-05-01 09:00` typed in is the
    // pattern's 5 January (1 h; 2 h).
    assert_eq!(per_ticket("Short", "%Y-%d-%m %H:%M"), ["1", "2"]);
    // Date cells stored as ISO text (`t="d"`) are cells too: 168 h, 336 h, 232 h.
    let iso_cells = crate::common::fixture("excel/iso_date_cells.xlsx");
    let rows = parse_csv(&run(
        &wd,
        &[
            "tickets",
            &iso_cells,
            "--date-format",
            "%Y-%d-%m",
            "--per-ticket",
        ],
    ));
    let hours: Vec<&str> = rows
        .iter()
        .map(|r| r["resolution_hours"].as_str())
        .collect();
    assert_eq!(hours, ["168", "336", "232"]);
    // A column of text alone is the pattern's, as in a CSV: one that reads none of it
    // stops the run.
    let out = wd
        .cxm()
        .args([
            "tickets",
            &mixed,
            "--sheet",
            "Text",
            "--date-format",
            "%d/%m/%Y",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("reads none of its values"));
}

/// A decimal wider than the reader's 38 digits (BigQuery's BIGNUMERIC) is named, with
/// its type, where the reader itself said only "precision must be between 1 and 38".
#[test]
fn a_decimal_too_wide_to_read_is_named() {
    let wd = Workdir::new();
    let file = crate::common::fixture("parquet/wide_decimal.parquet");
    for command in [
        vec!["tickets", file.as_str()],
        vec!["inspect", file.as_str()],
    ] {
        let out = wd.cxm().args(&command).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(3), "{err}");
        assert!(
            err.contains("column 'lifetime_value' is a DECIMAL(40, 2), wider than the 38 digits"),
            "{err}"
        );
    }
}

/// A damaged file that makes polars' reader panic (in the footer; in a worker thread
/// of its scan) is an error naming the file (exit 3), for every command that opens it.
#[test]
fn a_damaged_file_is_an_error_not_a_crash() {
    let wd = Workdir::new();
    for name in ["damaged_footer", "damaged_offsets"] {
        let file = crate::common::fixture(&format!("parquet/{name}.parquet"));
        for command in [
            vec!["tickets", file.as_str()],
            vec!["inspect", file.as_str()],
        ] {
            let out = wd.cxm().args(&command).output().unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(3), "{name}: {err}");
            assert!(
                err.contains(&format!("{name}.parquet: cannot read as Parquet")),
                "{err}"
            );
            assert!(!err.contains("panicked"), "{err}");
            // The reader's cause, without its threads' wrappers or source places.
            assert!(!err.contains("JoinError") && !err.contains(".rs:"), "{err}");
            assert!(out.stdout.is_empty());
        }
    }
}

/// A Parquet file cut at its start (its `PAR1` gone) is named for what it was, not
/// sent to `--encoding` as text that is not UTF-8.
#[test]
fn a_parquet_file_cut_at_its_start_is_said_to_be_damaged() {
    let wd = Workdir::new();
    let bytes = std::fs::read(crate::common::fixture("parquet/interval.parquet")).unwrap();
    std::fs::write(wd.path("cut.parquet"), &bytes[4..]).unwrap();
    let out = wd.cxm().args(["tickets", "cut.parquet"]).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(
            "cut.parquet: named .parquet but not a Parquet file (it does not start with PAR1)"
        ),
        "{err}"
    );
    // Gzipped, it is named so too; on stdin, or under another name, its NUL bytes
    // say it is likelier binary or damaged than Latin-1 text.
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut gz, &bytes[4..]).unwrap();
    std::fs::write(wd.path("cut.parquet.gz"), gz.finish().unwrap()).unwrap();
    std::fs::write(wd.path("cut.csv"), &bytes[4..]).unwrap();
    let said = |args: &[&str], stdin: &[u8]| {
        let out = wd
            .cxm()
            .args(args)
            .write_stdin(stdin.to_vec())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(3));
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let err = said(&["tickets", "cut.parquet.gz"], b"");
    assert!(
        err.contains("cut.parquet.gz: named .parquet but not a Parquet file"),
        "{err}"
    );
    for (args, name) in [
        (&["tickets", "-"][..], "<stdin>"),
        (&["tickets", "cut.csv"], "cut.csv"),
    ] {
        let err = said(args, &bytes[4..]);
        assert!(
            err.starts_with(&format!("cxm: error: {name}:"))
                && err.contains(
                    ": bytes that are not valid UTF-8, and NUL bytes: a binary or damaged file?"
                ),
            "{err}"
        );
    }
}

/// A Parquet duration column (a pandas timedelta) reads as the clock it is, as an
/// Excel duration does: 30 min, 2 h and 45 min 0.5 s of first response, mean
/// 65 min + 1/6 s, whatever the unit its field names; a null is no response.
#[test]
fn a_duration_column_reads_as_a_clock() {
    let wd = Workdir::new();
    let us = |minutes: i64| minutes * 60_000_000;
    let frt = Series::new(
        "first_response_time_hours".into(),
        [Some(us(30)), Some(us(120)), None, Some(us(45) + 500_000)],
    )
    .cast(&DataType::Duration(TimeUnit::Microseconds))
    .unwrap();
    let df = DataFrame::new_infer_height(vec![
        Series::new("ticket_id".into(), ["1", "2", "3", "4"]).into_column(),
        Series::new(
            "created_at".into(),
            [
                "2025-03-01T10:00:00Z",
                "2025-03-01T11:00:00Z",
                "2025-03-02T09:00:00Z",
                "2025-03-02T09:00:00Z",
            ],
        )
        .into_column(),
        frt.into_column(),
    ])
    .unwrap();
    write_parquet(&wd, "td.parquet", df);
    let rows = parse_csv(&run(
        &wd,
        &[
            "tickets",
            "td.parquet",
            "--time-unit",
            "minutes",
            "--strict",
        ],
    ));
    assert_eq!(rows[0]["responded"], "3");
    let mean: f64 = rows[0]["first_response_mean_minutes"].parse().unwrap();
    // Printed to 4 decimals: 65.0028 min.
    assert!((mean - (65.0 + 0.5 / 3.0 / 60.0)).abs() < 1e-4, "{mean}");
}

/// A folder named like a data lake's partition (`team=zzz/`) gives its files no
/// column: polars read every row's `team` as `zzz` (and added the column where the
/// file had none). By hand: T1 and T2 of team a, T3 of team b.
#[test]
fn a_partition_like_folder_adds_no_column() {
    let wd = Workdir::new();
    std::fs::create_dir_all(wd.path("team=zzz/created_at=2030-01-01")).unwrap();
    let df = df!(
        "ticket_id" => ["T1", "T2", "T3"],
        "created_at" => ["2025-03-03T09:00:00Z", "2025-03-03T10:00:00Z", "2025-03-04T11:00:00Z"],
        "first_response_at" => ["2025-03-03T10:00:00Z", "2025-03-03T12:00:00Z", "2025-03-04T14:00:00Z"],
        "team" => ["a", "a", "b"],
    )
    .unwrap();
    write_parquet(&wd, "team=zzz/created_at=2030-01-01/t.parquet", df);
    let rows = parse_csv(&run(
        &wd,
        &[
            "tickets",
            "team=zzz/created_at=2030-01-01/t.parquet",
            "--by",
            "team",
            "--every",
            "day",
        ],
    ));
    let got: Vec<(&str, &str, &str, &str)> = rows
        .iter()
        .map(|r| {
            (
                r["team"].as_str(),
                r["period"].as_str(),
                r["tickets"].as_str(),
                r["first_response_mean_hours"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("a", "2025-03-03", "2", "1.5"),
            ("b", "2025-03-04", "1", "3")
        ]
    );
}

/// A UUID id (DuckDB's `UUID`, 16 bytes in Parquet) reads as its text, as the same
/// rows written as CSV hold it: two customers in February, the second ending on the
/// 15th (1 of 2 churned; MRR 49 + 99 = 148 at the start, 99 lost).
#[test]
fn a_uuid_id_reads_as_its_text() {
    let wd = Workdir::new();
    let file = crate::common::fixture("parquet/uuid_ids.parquet");
    wd.write(
        "subs.csv",
        b"customer_id,start_date,end_date,mrr\n\
          6f1c2a7e-0b8e-4c59-9a53-1d2f3e4a5b6c,2025-01-05,,49.0\n\
          0a9b8c7d-6e5f-4a3b-8c2d-1e0f9a8b7c6d,2025-01-10,2025-02-15,99.0\n",
    );
    let args = [
        "--since",
        "2025-02-01",
        "--until",
        "2025-03-01",
        "--by",
        "customer_id",
    ];
    let from_parquet = run(&wd, &[&["churn", file.as_str()][..], &args].concat());
    let from_csv = run(&wd, &[&["churn", "subs.csv"][..], &args].concat());
    assert_eq!(
        String::from_utf8_lossy(&from_parquet),
        String::from_utf8_lossy(&from_csv)
    );
    let rows = parse_csv(&run(
        &wd,
        &[
            "churn",
            file.as_str(),
            "--since",
            "2025-02-01",
            "--until",
            "2025-03-01",
        ],
    ));
    assert_eq!(rows[0]["customers_start"], "2");
    assert_eq!(rows[0]["churned"], "1");
    let ids: Vec<String> = parse_csv(&from_parquet)
        .iter()
        .map(|r| r["customer_id"].clone())
        .collect();
    assert!(
        ids.contains(&"6f1c2a7e-0b8e-4c59-9a53-1d2f3e4a5b6c".to_string()),
        "{ids:?}"
    );
}

/// `inspect` counts a Parquet file's blank rows as `-v` skips them, as it does a
/// CSV's: of 5 rows, one of nulls, one of a space, `NULL` and null, and one of an
/// ideographic space, `N/A` and `?` are blank; a row with one value is not.
#[test]
fn inspect_counts_a_parquet_files_blank_rows() {
    let wd = Workdir::new();
    let df = df!(
        "ticket_id" => [Some("T1"), None, Some(" "), None, Some("\u{3000}")],
        "created_at" => [Some("2025-01-01T00:00:00Z"), None, Some("NULL"), None, Some("N/A")],
        "team" => [Some("a"), None, None, Some("b"), Some("?")],
    )
    .unwrap();
    let path = write_parquet(&wd, "b.parquet", df);
    let out = wd
        .cxm()
        .args(["inspect", path.to_str().unwrap()])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("b.parquet: 5 rows (3 blank rows skipped), 3 columns, Parquet"),
        "{text}"
    );
}

/// Columns are read by their literal names: a Parquet file with a column `*` stopped
/// every run (polars read it as "all columns": a duplicate `ticket_id`), and one
/// named `^t.*$` was a pattern (a row holding only it counted as blank by inspect).
#[test]
fn columns_named_like_patterns_are_read_as_named() {
    let wd = Workdir::new();
    let df = df!(
        "ticket_id" => [Some("T1"), None],
        "created_at" => [Some("2025-01-01T00:00:00Z"), None],
        "*" => [Some("a"), None],
        "^t.*$" => [None, Some("x")],
    )
    .unwrap();
    let path = write_parquet(&wd, "p.parquet", df);
    let path = path.to_str().unwrap();
    let rows = parse_csv(&run(&wd, &["tickets", path]));
    assert_eq!(rows[0]["tickets"], "1");
    let out = wd.cxm().args(["inspect", path]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("p.parquet: 2 rows, 4 columns, Parquet"),
        "{text}"
    );
}

/// A Parquet file of text dates mixing day-first and month-first: the error names
/// each example by its row, as Parquet's rejects are located (the header is no row).
#[test]
fn mixed_date_orders_in_parquet_are_named_by_row() {
    let wd = Workdir::new();
    let df = df!(
        "ticket_id" => ["A", "B", "C"],
        "created_at" => ["01/02/2025 10:00", "13/04/2025 10:00", "02/13/2025 10:00"],
    )
    .unwrap();
    write_parquet(&wd, "t.parquet", df);
    let out = wd.cxm().args(["tickets", "t.parquet"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(
        err.contains("1 value reads only month-first (e.g. row 3: '02/13/2025 10:00') and 1 only day-first (e.g. row 2: '13/04/2025 10:00')"),
        "{err}"
    );
}
