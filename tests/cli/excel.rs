//! Excel workbooks (tests/fixtures/excel, written by its make.py from tickets.csv):
//! the same tickets as typed cells give what the CSV gives, a rejected cell is
//! located by the sheet's row, and `--sheet` picks another sheet.
//!
//! Worked by hand: team a has X1 (reply 1 h, resolved in 4 h) and X2 (reply 15 min, `#N/A` replies, open): first-response median
//! 0.625 h, resolution 4 h. Team b has X3 (reply 4 h, resolved in 24 h, `#DIV/0!`
//! replies: an unreadable number) and X4 (no reply).

use crate::common::{assert_num, fixture, parse_csv, Workdir};

fn book() -> String {
    fixture("excel/tickets.xlsx")
}

#[test]
fn a_workbook_gives_what_the_same_data_as_csv_gives() {
    let w = Workdir::new();
    let from_book = w.csv_output(&["tickets", &book(), "--by", "team", "-q"]);
    let from_csv = w.csv_output(&[
        "tickets",
        &fixture("excel/tickets.csv"),
        "--by",
        "team",
        "-q",
    ]);
    assert_eq!(
        String::from_utf8_lossy(&from_book),
        String::from_utf8_lossy(&from_csv)
    );
    let rows = parse_csv(&from_book);
    assert_num(&rows[0], "first_response_median_hours", 0.625);
    assert_num(&rows[0], "resolution_median_hours", 4.0);
    assert_num(&rows[1], "resolution_median_hours", 24.0);
    assert_num(&rows[0], "sla_pct", 100.0);
}

#[test]
fn a_rejected_cell_is_located_by_its_sheet_row() {
    let w = Workdir::new();
    let out = w
        .cxm()
        .args(["tickets", &book(), "--rejects", "r.csv", "--format", "csv"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("tickets.xlsx[Tickets]: row 4"), "{err}");
    let rejects = std::fs::read_to_string(w.path("r.csv")).unwrap();
    let line = rejects.lines().nth(1).unwrap_or_default();
    assert!(
        line.contains("tickets.xlsx[Tickets],4,unparseable number,agent_replies,#DIV/0!,X3,"),
        "{rejects}"
    );
}

/// Sheet Q2: Q1 replied in 2 h, open, met; Q2 replied in 30 min, resolved in 3 h,
/// missed.
#[test]
fn sheet_picks_a_sheet_by_name_in_any_case() {
    let rows = Workdir::new().csv_rows(&["tickets", &book(), "--sheet", "q2"]);
    assert_eq!(rows[0]["tickets"], "2");
    assert_num(&rows[0], "first_response_median_hours", 1.25);
    assert_num(&rows[0], "resolution_median_hours", 3.0);
    assert_num(&rows[0], "sla_pct", 50.0);
    let out = Workdir::new()
        .cxm()
        .args(["tickets", &book(), "--sheet", "Summary"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("sheets: Tickets, Q2"));
}

/// `--sheet` in any case past ASCII too, as Excel matches names: `DONNÉES é` is the
/// sheet `Données É` (2 tickets, first response 1 h and 3 h: mean 2 h).
#[test]
fn sheet_names_match_in_any_case_past_ascii() {
    let book = fixture("excel/accented_sheet.xlsx");
    for asked in ["Données É", "DONNÉES é"] {
        let rows = Workdir::new().csv_rows(&["tickets", &book, "--sheet", asked, "-q"]);
        assert_eq!(rows[0]["tickets"], "2", "{asked}");
        assert_num(&rows[0], "first_response_mean_hours", 2.0);
    }
}

/// The sheet, copied once for the run however often the report reads it, leaves no
/// copy behind in `TMPDIR`, nor does a run that stops on its data.
#[test]
fn a_folder_of_workbooks_feeds_report() {
    let w = Workdir::new();
    std::fs::create_dir(w.path("exports")).unwrap();
    std::fs::create_dir(w.path("tmp")).unwrap();
    std::fs::copy(book(), w.path("exports/tickets.xlsx")).unwrap();
    let left = || std::fs::read_dir(w.path("tmp")).unwrap().count();
    let out = w
        .cxm()
        .env("TMPDIR", w.path("tmp"))
        .args(["report", "exports", "--format", "csv"])
        .output()
        .unwrap();
    assert_eq!(left(), 0);
    let strict = w
        .cxm()
        .env("TMPDIR", w.path("tmp"))
        .args(["report", "exports", "--strict", "--format", "csv"])
        .output()
        .unwrap();
    assert_eq!(strict.status.code(), Some(3));
    assert_eq!(left(), 0);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows = parse_csv(&out.stdout);
    let tickets = rows
        .iter()
        .find(|r| r["section"] == "tickets" && r["metric"] == "tickets")
        .unwrap();
    assert_eq!(tickets["value"], "4");
    // Gzipped, as a folder's CSV may be, it is read the same (it was passed over
    // without a word), by `report` and by a metric command.
    std::fs::create_dir(w.path("gz")).unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut gz, &std::fs::read(book()).unwrap()).unwrap();
    std::fs::write(w.path("gz/tickets.xlsx.gz"), gz.finish().unwrap()).unwrap();
    let rows = w.csv_rows(&["report", "gz", "-q"]);
    let tickets = (rows.iter())
        .find(|r| r["section"] == "tickets" && r["metric"] == "tickets")
        .unwrap();
    assert_eq!(tickets["value"], "4");
    assert_eq!(w.csv_rows(&["tickets", "gz", "-q"])[0]["tickets"], "4");
}

/// A workbook on stdin (`cat book.xlsx | cxm tickets -`) is read as the file is:
/// the same figures (team a: first response median 0.625 h), its rows located as
/// `<stdin>[Tickets]: row 4`, and `--sheet` picks its sheet.
#[test]
fn a_workbook_on_stdin_is_read_as_one() {
    let bytes = std::fs::read(book()).unwrap();
    let wd = Workdir::new();
    let out = wd
        .cxm()
        .args(["tickets", "-", "--by", "team", "--format", "csv"])
        .write_stdin(bytes.clone())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("<stdin>[Tickets]: row 4"), "{err}");
    let rows = parse_csv(&out.stdout);
    assert_num(&rows[0], "first_response_median_hours", 0.625);
    let out = wd
        .cxm()
        .args(["tickets", "-", "--sheet", "q2", "--format", "csv", "-q"])
        .write_stdin(bytes)
        .output()
        .unwrap();
    assert_eq!(parse_csv(&out.stdout)[0]["tickets"], "2");
}

/// A sheet whose grid reaches Excel's last cell (XFD1048576) but holds a few cells is
/// read by its cells, not its grid: F1, F2 and F3 replied in 1, 2 and 3 h (mean 2 h,
/// p90 2 + 0.8 × 1 = 2.8 h; one of three within the 1 h target). The note far to the
/// right of F2 (ZZ3) is in no named column: left out, and warned of, while its row
/// counts; the last cell, after blank rows, is a footer.
#[test]
fn a_far_off_cell_is_read_without_its_grid() {
    let w = Workdir::new();
    let out = w
        .cxm()
        .args([
            "tickets",
            &fixture("excel/far.xlsx"),
            "-v",
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("3 rows read = 3 used + 0 rejected"), "{err}");
    assert!(
        err.contains("far.xlsx[Tickets]: 1 cell right of the header's last column (without a column name) not read (first at row 3, column ZZ: 'note')"),
        "{err}"
    );
    assert!(!err.contains("blank in every column"), "{err}");
    let rows = parse_csv(&out.stdout);
    assert_eq!(rows[0]["tickets"], "3");
    assert_num(&rows[0], "first_response_mean_hours", 2.0);
    assert_num(&rows[0], "first_response_p90_hours", 2.8);
    assert_num(&rows[0], "sla_pct", 100.0 / 3.0);
}

/// An event log in a workbook warns of its note right of the header (G2) too: T1,
/// opened at 10:00 and answered and solved at 11:00, 1 h each.
#[test]
fn an_event_logs_note_beside_the_table_is_warned_of() {
    let w = Workdir::new();
    let out = w
        .cxm()
        .args(["tickets", "--events", &fixture("excel/events_note.xlsx")])
        .args(["--format", "csv"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("events_note.xlsx[S]: 1 cell right of the header's last column (without a column name) not read (first at row 2, column G: 'NOTE')"),
        "{err}"
    );
    let rows = parse_csv(&out.stdout);
    assert_num(&rows[0], "first_response_mean_hours", 1.0);
    assert_num(&rows[0], "resolution_mean_hours", 1.0);
    // `inspect` lists it among the file's problems.
    let out = w
        .cxm()
        .args(["inspect", &fixture("excel/events_note.xlsx")])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("1 cell right of the header's last column (without a column name) not read"),
        "{text}"
    );
    // A sheet has no delimiter to show.
    assert!(
        text.lines()
            .next()
            .is_some_and(|l| l.contains("Excel sheet") && !l.contains("delimiter")),
        "{text}"
    );
}

/// A legacy Qualtrics export saved as a workbook: named by its second row, and a
/// rejected score located by the sheet's own row (5: the ids, the names, then R_1 to
/// R_3). NPS 9 and 3: one promoter, one detractor, 0.
#[test]
fn a_legacy_qualtrics_workbook_locates_rows_as_excel_shows_them() {
    let w = Workdir::new();
    let (stdout, err) = w.csv_and_stderr(&["surveys", &fixture("excel/legacy_qualtrics.xlsx")]);
    assert!(
        err.contains("legacy_qualtrics.xlsx[Sheet1]: row 5, column 'Q1', value 'abc')"),
        "{err}"
    );
    let rows = parse_csv(&stdout);
    assert_eq!(rows[0]["nps_responses"], "2");
    assert_num(&rows[0], "nps", 0.0);
}

/// A workbook whose first sheet holds no data (a summary first): a header alone is
/// warned of with the other sheets' names, and a sheet without the required columns
/// stops naming them; `--sheet Data` reads the two tickets.
#[test]
fn a_first_sheet_without_data_points_to_the_others() {
    let wd = Workdir::new();
    let out = wd
        .cxm()
        .args([
            "tickets",
            &fixture("excel/summary_first.xlsx"),
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(parse_csv(&out.stdout)[0]["tickets"], "0");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("summary_first.xlsx[Summary]: no rows under the header; the workbook's other sheets: Data (give --sheet NAME, or save it as a file of its own)"),
        "{err}"
    );
    let out = wd
        .cxm()
        .args(["tickets", &fixture("excel/summary_total.xlsx")])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("the workbook's other sheets: Data (give --sheet NAME, or save it as a file of its own)"),
        "{err}"
    );
    // A first sheet without a cell at all.
    let out = wd
        .cxm()
        .args(["tickets", &fixture("excel/empty_first.xlsx")])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("the sheet is empty (no header row); the workbook's other sheets: Data (give --sheet NAME, or save it as a file of its own)"),
        "{err}"
    );
    for book in ["summary_first.xlsx", "summary_total.xlsx"] {
        let rows = wd.csv_rows(&[
            "tickets",
            &fixture(&format!("excel/{book}")),
            "--sheet",
            "Data",
        ]);
        assert_eq!(rows[0]["tickets"], "2", "{book}");
    }
}

/// `--sheet` among CSV files only applies to none: said once (not per section of
/// `report`); beside a workbook it is not.
#[test]
fn a_sheet_without_a_workbook_is_said() {
    let wd = Workdir::new();
    wd.write("t.csv", b"ticket_id,created_at\nA,2025-03-03T09:00:00Z\n");
    let said = "--sheet Data: no workbook (.xlsx) among the inputs, so it applies to none";
    let (_, err) = wd.csv_and_stderr(&["tickets", "t.csv", "--sheet", "Data"]);
    assert!(err.contains(said), "{err}");
    let (_, err) = wd.csv_and_stderr(&["report", "--tickets", "t.csv", "--sheet", "Data"]);
    assert_eq!(err.matches(said).count(), 1, "{err}");
    let (_, err) = wd.csv_and_stderr(&["tickets", &book(), "--sheet", "q2"]);
    assert!(!err.contains("applies to none"), "{err}");
    // A workbook named `.csv` is read as a workbook, its sheet too: no warning.
    std::fs::copy(book(), wd.path("book.csv")).unwrap();
    let (_, err) = wd.csv_and_stderr(&["tickets", "book.csv", "--sheet", "q2"]);
    assert!(!err.contains("applies to none"), "{err}");
    // A gzip of a workbook is read as the workbook, by its sheet: no warning either.
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut gz, &std::fs::read(book()).unwrap()).unwrap();
    std::fs::write(wd.path("book.xlsx.gz"), gz.finish().unwrap()).unwrap();
    let (_, err) = wd.csv_and_stderr(&["tickets", "book.xlsx.gz", "--sheet", "q2"]);
    assert!(!err.contains("applies to none"), "{err}");
}

/// `--delimiter` is the CSV files' own: a workbook beside it is read as without it
/// (its header was taken for a title, or split on the wrong character); a workbook
/// through a pipe is read with `--sheet`, unwarned; a zip that is no workbook on stdin
/// is named as such.
#[test]
fn delimiter_and_pipes_leave_workbooks_readable() {
    let wd = Workdir::new();
    for delimiter in [";", "tab"] {
        let rows = wd.csv_rows(&[
            "tickets",
            &book(),
            "--delimiter",
            delimiter,
            "--by",
            "team",
            "-q",
        ]);
        assert_num(&rows[0], "first_response_median_hours", 0.625);
    }
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!(
            "\"$0\" tickets <(cat '{}') --sheet q2 --format csv",
            book()
        ))
        .arg(assert_cmd::cargo::cargo_bin("cxm"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(!err.contains("applies to none"), "{err}");
    assert_eq!(parse_csv(&out.stdout)[0]["tickets"], "2");
    // A zip holding a CSV: "PK\3\4", then a stored entry that is no workbook.
    // (written by Python's zipfile: a local header, the entry, the central directory);
    // a damaged zip keeps its reader's word.
    let zip = b"PK\x03\x04\x14\x00\x00\x00\x00\x00\x6d\xa7\x85\x5d\xc5\x10\x97\x24\x04\x00\x00\x00\x04\x00\x00\x00\x05\x00\x00\x00z.csva,b\nPK\x01\x02\x14\x03\x14\x00\x00\x00\x00\x00\x6d\xa7\x85\x5d\xc5\x10\x97\x24\x04\x00\x00\x00\x04\x00\x00\x00\x05\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80\x01\x00\x00\x00\x00z.csvPK\x05\x06\x00\x00\x00\x00\x01\x00\x01\x00\x33\x00\x00\x00\x27\x00\x00\x00\x00\x00";
    let out = wd
        .cxm()
        .args(["tickets", "-"])
        .write_stdin(&zip[..])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("a zip archive that is not an Excel workbook"),
        "{err}"
    );
    let out = wd
        .cxm()
        .args(["tickets", "-"])
        .write_stdin(&zip[..40])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("cannot read as an Excel workbook (.xlsx): Zip error"),
        "{err}"
    );
}

/// A workbook is told by its content, whatever its name (`book.csv`); a zip archive
/// that is no workbook (a zipped CSV) is named so, with the way out, not called a
/// workbook.
#[test]
fn a_zip_archive_is_read_by_its_content() {
    let w = Workdir::new();
    std::fs::copy(book(), w.path("book.csv")).unwrap();
    let by_name = w.csv_output(&["tickets", &book(), "-q"]);
    assert_eq!(w.csv_output(&["tickets", "book.csv", "-q"]), by_name);
    w.write("inner.csv", b"ticket_id,created_at\nA,2025-01-01\n");
    let zipped = std::process::Command::new("python3")
        .current_dir(w.path(""))
        .args([
            "-c",
            "import zipfile; zipfile.ZipFile('z.zip', 'w').write('inner.csv')",
        ])
        .status()
        .unwrap();
    assert!(zipped.success());
    let out = w.cxm().args(["tickets", "z.zip"]).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains(
            "z.zip: a zip archive that is not an Excel workbook (a zipped CSV? unzip it first)"
        ),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Formula cells without a saved value (formula_unsaved.xlsx: 4, the first at C2) are
/// read as empty, as they are, and said: the two tickets count as unanswered.
#[test]
fn formulas_without_saved_values_are_said() {
    let w = Workdir::new();
    let out = w
        .cxm()
        .args([
            "tickets",
            &fixture("excel/formula_unsaved.xlsx"),
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("formula_unsaved.xlsx[Sheet]: 4 formula cells hold no saved value (first at row 2, column C), read as empty"),
        "{err}"
    );
    let rows = parse_csv(&out.stdout);
    assert_eq!(rows[0]["responded"], "0");
    // Every formula's value 0 (formula_zeros.xlsx: xlsxwriter's placeholders for the
    // scores 9, 10, 10, 7): read as 0, and said.
    let out = w
        .cxm()
        .args([
            "surveys",
            &fixture("excel/formula_zeros.xlsx"),
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(
            "formula_zeros.xlsx[S]: all 4 formula cells hold 0 (first at row 2, column D)"
        ),
        "{err}"
    );
    // The same workbook as Excel saves it (computed, so no `fullCalcOnLoad`): its 0s
    // are the formulas' values, and nothing is said.
    let mut zeros =
        zip::ZipArchive::new(std::fs::File::open(fixture("excel/formula_zeros.xlsx")).unwrap())
            .unwrap();
    let mut saved = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zeros.len() {
        let mut part = zeros.by_index(i).unwrap();
        let name = part.name().unwrap().to_string();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut part, &mut bytes).unwrap();
        if name == "xl/workbook.xml" {
            let text = String::from_utf8(bytes).unwrap();
            assert!(text.contains(" fullCalcOnLoad=\"1\""));
            bytes = text.replace(" fullCalcOnLoad=\"1\"", "").into_bytes();
        }
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        saved.start_file(name, options).unwrap();
        std::io::Write::write_all(&mut saved, &bytes).unwrap();
    }
    w.write("computed.xlsx", &saved.finish().unwrap().into_inner());
    let out = w
        .cxm()
        .args(["surveys", "computed.xlsx", "--format", "csv"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(!String::from_utf8_lossy(&out.stderr).contains("hold 0"));
    // A workbook without formulas says nothing of them.
    let out = w.cxm().args(["tickets", &book()]).output().unwrap();
    assert!(!String::from_utf8_lossy(&out.stderr).contains("formula"));
}

/// A workbook of tickets and responses (two_kinds.xlsx): `surveys` and `churn` on its
/// first sheet name the other; a folder holding it reads the first sheet and says the
/// other is not read; `--sheet Surveys` reads the responses (5 and 2: 1 of 2
/// satisfied, 50 %).
#[test]
fn a_workbooks_other_sheets_are_named() {
    let w = Workdir::new();
    let book = fixture("excel/two_kinds.xlsx");
    for command in ["surveys", "churn"] {
        w.cxm()
            .args([command, book.as_str()])
            .assert()
            .code(3)
            .stderr(predicates::str::contains(
                "the workbook's other sheets: Surveys (give --sheet NAME, or save it as a file of its own)",
            ));
    }
    let rows = parse_csv(&w.csv_output(&["surveys", &book, "--sheet", "Surveys", "-q"]));
    assert_num(&rows[0], "csat_pct", 50.0);
    std::fs::create_dir(w.path("dir")).unwrap();
    std::fs::copy(&book, w.path("dir/export.xlsx")).unwrap();
    w.cxm()
        .args(["report", "dir", "--format", "csv"])
        .assert()
        .success()
        .stderr(predicates::str::contains(
            "export.xlsx: its first sheet is read; its other sheets (Surveys) are not",
        ));
    // A chart sheet holds no table: not listed (chart_first.xlsx: Chart1, Q1, Q2).
    std::fs::create_dir(w.path("charted")).unwrap();
    std::fs::copy(
        fixture("excel/chart_first.xlsx"),
        w.path("charted/book.xlsx"),
    )
    .unwrap();
    w.cxm()
        .args(["report", "charted", "--format", "csv"])
        .assert()
        .success()
        .stderr(predicates::str::contains(
            "book.xlsx: its first sheet is read; its other sheets (Q2) are not",
        ));
}

/// A team cell merged down over three tickets (merged_team.xlsx, B2:B4) holds its
/// value in B2 alone: read so (T2 and T3 without a team, as pandas reads them), and
/// said, naming the cell and how many rows it covers.
#[test]
fn cells_merged_down_the_rows_are_said() {
    let out = Workdir::new()
        .cxm()
        .args([
            "tickets",
            &fixture("excel/merged_team.xlsx"),
            "--by",
            "team",
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let rows = parse_csv(&out.stdout);
    let teams: Vec<(&str, &str)> = (rows.iter())
        .map(|r| (r["team"].as_str(), r["tickets"].as_str()))
        .collect();
    assert_eq!(teams, [("billing", "1"), ("tech", "1"), ("", "2")]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("1 merged cell covers the table's cells (first at row 2, column B: 'billing', over 3 rows)"),
        "{err}"
    );
    // A header cell merged across the next one leaves that column without a name:
    // said. A note merged left of the table is not the table's: not said.
    let said = |book: &str| {
        let out = Workdir::new()
            .cxm()
            .args(["tickets", &fixture(book), "--format", "csv"])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let err = said("excel/merged_header.xlsx");
    assert!(
        err.contains("1 merged cell covers the table's cells (first at row 1, column B: 'created_at', over 2 columns)"),
        "{err}"
    );
    assert!(!said("excel/merged_left.xlsx").contains("merged"));
    // Merged nothing: nothing said.
    let out = Workdir::new()
        .cxm()
        .args(["tickets", &fixture("excel/tickets.xlsx"), "--format", "csv"])
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&out.stderr).contains("merged"));
}

/// An empty sheet (Excel's default `Sheet2`) holds no table: not listed among the
/// sheets a folder's workbook leaves unread (blank_sheet.xlsx: Tickets, Sheet2, Notes).
#[test]
fn an_empty_sheet_is_no_unread_table() {
    let w = Workdir::new();
    std::fs::create_dir(w.path("folder")).unwrap();
    std::fs::copy(
        fixture("excel/blank_sheet.xlsx"),
        w.path("folder/book.xlsx"),
    )
    .unwrap();
    w.cxm()
        .args(["report", "folder", "--format", "csv"])
        .assert()
        .success()
        .stderr(predicates::str::contains(
            "book.xlsx: its first sheet is read; its other sheets (Notes) are not",
        ));
}

/// An Excel 97–2003 workbook (a compound file, `D0 CF 11 E0 A1 B1 1A E1`) is named
/// for what it is, by path or through a pipe, not read as text that is not UTF-8.
/// `report DIR --sheet NAME` reads that sheet of a folder's workbook, and says
/// nothing of its other sheets: the user chose (2 tickets of sheet Data, where the
/// first sheet, Summary, holds a header alone).
#[test]
fn report_with_sheet_reads_that_sheet_without_warning_of_it() {
    let wd = Workdir::new();
    std::fs::create_dir(wd.path("d")).unwrap();
    std::fs::copy(
        fixture("excel/summary_total.xlsx"),
        wd.path("d/tickets.xlsx"),
    )
    .unwrap();
    let (out, err) = wd.csv_and_stderr(&["report", "d", "--sheet", "Data"]);
    let rows = parse_csv(&out);
    let tickets = rows
        .iter()
        .find(|r| r["section"] == "tickets" && r["metric"] == "tickets");
    assert_eq!(tickets.map(|r| r["value"].as_str()), Some("2"), "{err}");
    assert!(!err.contains("other sheets"), "{err}");
}

/// Single cells below a blank row are rows unless they say something, as a CSV's
/// footer lines must: the four CSAT-only responses count (7 responses, 2 of them 4
/// or 5: 28.5714 %, mean 14 / 7 = 2), while two lines of words are a footer, quoted
/// in a warning (2 customers, 1 churned).
#[test]
fn single_cells_below_a_blank_row_are_rows_unless_they_read_as_a_footer() {
    let wd = Workdir::new();
    let book = fixture("excel/below_blank.xlsx");
    let (out, err) = wd.csv_and_stderr(&["surveys", &book, "--sheet", "Scores"]);
    let rows = parse_csv(&out);
    assert_eq!(rows[0]["csat_responses"], "7", "{err}");
    assert_num(&rows[0], "csat_pct", 200.0 / 7.0);
    assert_num(&rows[0], "csat_mean", 2.0);
    assert!(!err.contains("footer"), "{err}");
    let (out, err) = wd.csv_and_stderr(&["churn", &book, "--sheet", "Footer"]);
    let rows = parse_csv(&out);
    assert_eq!(
        (rows[0]["customers"].as_str(), rows[0]["churned"].as_str()),
        ("2", "1")
    );
    assert!(
        err.contains("2 rows below the table taken for a footer ('Generated by Acme Reports on 2025-03-01 / Timezone: Europe/Berlin'), not read"),
        "{err}"
    );
}

#[test]
fn a_legacy_xls_workbook_is_named_for_what_it_is() {
    let w = Workdir::new();
    let mut xls = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    xls.extend(std::iter::repeat_n(0xFFu8, 504));
    w.write("old.xls", &xls);
    let said = "an Excel 97–2003 workbook (.xls), which cxm does not read: save it as .xlsx or CSV";
    w.cxm()
        .args(["tickets", "old.xls"])
        .assert()
        .code(3)
        .stderr(predicates::str::contains(format!("old.xls: {said}")));
    w.cxm()
        .args(["surveys", "-"])
        .write_stdin(xls.clone())
        .assert()
        .code(3)
        .stderr(predicates::str::contains(format!("<stdin>: {said}")));
    // Gzipped, as a workbook is read gzipped.
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut gz, &xls).unwrap();
    w.write("old.xls.gz", &gz.finish().unwrap());
    w.cxm()
        .args(["tickets", "old.xls.gz"])
        .assert()
        .code(3)
        .stderr(predicates::str::contains(format!("old.xls.gz: {said}")));
}

/// Every list of a workbook's other sheets marks hidden and chart sheets, and quotes a
/// name holding a comma (marked_sheets.xlsx: `Summary` of a `Total` column alone, a
/// hidden `Data, 2025` of two tickets, a chart sheet); a workbook whose only worksheet
/// is hidden (only_hidden.xlsx, behind a chart sheet) has it read, and says so.
#[test]
fn sheet_lists_mark_what_excel_hides() {
    let w = Workdir::new();
    let marked = fixture("excel/marked_sheets.xlsx");
    let err = |args: &[&str], code: i32| {
        let out = w.cxm().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(code), "{args:?}");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let stop = err(&["tickets", &marked], 3);
    assert!(
        stop.contains("the workbook's other sheets: 'Data, 2025' (hidden), Chart1 (a chart) (give --sheet NAME, or save it as a file of its own)"),
        "{stop}"
    );
    let asked = err(&["tickets", &marked, "--sheet", "x"], 2);
    assert!(
        asked.contains(
            "--sheet x: no such sheet (sheets: Summary, 'Data, 2025' (hidden), Chart1 (a chart))"
        ),
        "{asked}"
    );
    let rows = w.csv_rows(&["tickets", &marked, "--sheet", "Data, 2025", "-q"]);
    assert_eq!(rows[0]["tickets"], "2");
    let only = fixture("excel/only_hidden.xlsx");
    let out = w
        .cxm()
        .args(["tickets", &only, "--format", "csv"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains(
            "only_hidden.xlsx: the workbook shows no worksheet; its hidden sheet Data is read"
        ),
        "{said}"
    );
    assert_eq!(parse_csv(&out.stdout)[0]["tickets"], "1");
}

/// A hidden sheet, or a chart sheet, before the first worksheet Excel shows is not
/// read for want of `--sheet`: hidden_first.xlsx and chart_first.xlsx read as
/// tickets.xlsx does.
#[test]
fn a_hidden_first_sheet_is_passed_over() {
    let w = Workdir::new();
    for book_ahead in ["excel/hidden_first.xlsx", "excel/chart_first.xlsx"] {
        let ahead = fixture(book_ahead);
        let rows = w.csv_rows(&["tickets", &ahead, "--by", "team", "-q"]);
        assert_num(&rows[0], "first_response_median_hours", 0.625);
        assert_eq!(
            w.csv_output(&["tickets", &ahead, "--by", "team", "-q"]),
            w.csv_output(&["tickets", &book(), "--by", "team", "-q"])
        );
    }
    // Asked for, the chart sheet is said to be one.
    let charted = fixture("excel/chart_first.xlsx");
    let out = w
        .cxm()
        .args(["tickets", &charted, "--sheet", "Chart1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("chart_first.xlsx[Chart1]: a chart sheet, no table"),
        "{err}"
    );
    // A sheet not there: the list marks the sheets one does not see as tables (the
    // workbooks' own sheet states, in make.py).
    for (book_ahead, sheets) in [
        ("excel/hidden_first.xlsx", "Notes (hidden), Tickets, Q2"),
        ("excel/chart_first.xlsx", "Chart1 (a chart), Tickets, Q2"),
    ] {
        let out = w
            .cxm()
            .args(["tickets", &fixture(book_ahead), "--sheet", "Data"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(&format!("--sheet Data: no such sheet (sheets: {sheets})")),
            "{err}"
        );
    }
}

/// A French sheet's MRR column of number cells (29.5, 10) and amounts typed in as
/// text with a decimal comma (`1 200,50`, `19,90`) reads all four: 1,259.90 a month
/// at January's end, where the number cells' `29.5` made the column read with a
/// decimal point and the typed-in amounts rejected.
#[test]
fn number_cells_beside_decimal_comma_text_read_alike() {
    let book = fixture("excel/french_amounts.xlsx");
    let (out, err) =
        Workdir::new().csv_and_stderr(&["churn", &book, "--movements", "--period", "2025-01"]);
    assert!(!err.contains("rejected"), "{err}");
    let rows = parse_csv(&out);
    assert_eq!(rows[0]["new_customers"], "4");
    assert_num(&rows[0], "mrr_end", 1259.9);
}

/// A survey's last answer of words alone on its row below a blank row is an answer,
/// as the same sheet saved as CSV reads it: 4, 2 and 3 (Neither…), 1 of 3 satisfied.
#[test]
fn a_last_answer_of_words_below_a_blank_row_is_read() {
    let w = Workdir::new();
    let (out, err) = w.csv_and_stderr(&["surveys", &fixture("excel/answer_below_blank.xlsx")]);
    let rows = parse_csv(&out);
    assert_num(&rows[0], "csat_responses", 3.0);
    assert_num(&rows[0], "csat_pct", 100.0 / 3.0);
    assert!(!err.contains("footer"), "{err}");
}

/// `--sheet` names one sheet for a whole run: of two workbooks, the one without it
/// (survey responses on their own single sheet) is read by its first sheet, with a
/// word, where the other has it (summary_first.xlsx's `Data`: D1 and D2). Named by
/// no workbook, it stops the run as before.
#[test]
fn a_sheet_named_for_one_workbook_of_a_run_leaves_the_others_first_sheet() {
    let w = Workdir::new();
    std::fs::create_dir(w.path("d")).unwrap();
    for (from, to) in [
        ("excel/summary_first.xlsx", "d/tickets.xlsx"),
        ("excel/responses_sheet.xlsx", "d/surveys.xlsx"),
    ] {
        std::fs::copy(fixture(from), w.path(to)).unwrap();
    }
    let out = w
        .cxm()
        .args(["report", "d", "--sheet", "Data", "--format", "csv"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains(
            "d/surveys.xlsx: no sheet 'Data' (another workbook's): its first sheet is read"
        ),
        "{err}"
    );
    let rows = parse_csv(&out.stdout);
    let value = |metric: &str| {
        let row = rows.iter().find(|r| r["metric"] == metric);
        row.map_or(String::new(), |r| r["value"].clone())
    };
    assert_eq!(value("tickets"), "2");
    assert_eq!(value("csat_responses"), "2");
    assert_eq!(value("csat_pct"), "50");
    let out = w
        .cxm()
        .args(["report", "d", "--sheet", "Nope"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    // Given by a name without `.xlsx`, a workbook is one by its content; a folder's
    // workbook replaced by a flag's file is no longer read, nor warned of.
    std::fs::copy(fixture("excel/responses_sheet.xlsx"), w.path("export")).unwrap();
    let out = w
        .cxm()
        .args([
            "report",
            "--tickets",
            "d/tickets.xlsx",
            "--surveys",
            "export",
        ])
        .args(["--sheet", "Data", "--format", "csv"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("export: no sheet 'Data'"), "{err}");
    w.write("t.csv", b"ticket_id,created_at\nT1,2025-05-01T09:00:00Z\n");
    let out = w
        .cxm()
        .args([
            "report",
            "d",
            "--surveys",
            "export",
            "--sheet",
            "Data",
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(!err.contains("d/surveys.xlsx"), "{err}");
}

/// With `--sheet`, a workbook of notes in a data folder is still told by its first
/// sheet (no data: skipped), and the first-sheet warning names workbooks alone, not
/// a CSV of the same kind.
#[test]
fn a_sheet_leaves_notes_workbooks_and_csv_files_alone() {
    let w = Workdir::new();
    std::fs::create_dir(w.path("d")).unwrap();
    w.write(
        "d/tickets.csv",
        b"ticket_id,created_at\nT9,2025-05-03T09:00:00Z\n",
    );
    std::fs::copy(fixture("excel/notes.xlsx"), w.path("d/notes.xlsx")).unwrap();
    let out = w
        .cxm()
        .args(["report", "d", "--sheet", "Data", "--format", "csv"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    std::fs::remove_file(w.path("d/notes.xlsx")).unwrap();
    std::fs::copy(
        fixture("excel/summary_first.xlsx"),
        w.path("d/tickets.xlsx"),
    )
    .unwrap();
    std::fs::copy(
        fixture("excel/responses_sheet.xlsx"),
        w.path("d/surveys.xlsx"),
    )
    .unwrap();
    w.write(
        "d/surveys_b.csv",
        b"response_id,submitted_at,csat\nR9,2025-05-03T12:00:00Z,4\n",
    );
    let out = w
        .cxm()
        .args(["report", "d", "--sheet", "Data", "--format", "csv"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("d/surveys.xlsx: no sheet 'Data'"), "{err}");
    assert!(!err.contains("surveys_b.csv: no sheet"), "{err}");
}

/// Office's lock file beside a workbook open in Excel (`~$tickets.xlsx`, a few
/// binary bytes; these hold a quote, which stopped the run as a malformed header)
/// is skipped with a word, by `report DIR` and a metric command's folder alike.
#[test]
fn an_office_lock_file_in_a_folder_is_skipped() {
    let w = Workdir::new();
    std::fs::create_dir(w.path("d")).unwrap();
    std::fs::copy(fixture("excel/tickets.xlsx"), w.path("d/tickets.xlsx")).unwrap();
    w.write("d/~$tickets.xlsx", b"\x04ann  a\"b\x00\x00\xff");
    for cmd in ["report", "tickets"] {
        let out = w
            .cxm()
            .args([cmd, "d", "--format", "csv"])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{cmd}: {err}");
        assert!(
            err.contains("d/~$tickets.xlsx: skipped, an Office lock file"),
            "{cmd}: {err}"
        );
    }
}

/// Ids of 18 digits in a workbook's number cells (long_ids.xlsx), which keep 15
/// significant digits: warned of as the same ids a CSV writes `1.23457E+17` are (they
/// merged without a word), by the commands and `inspect`. The figures stay the data's:
/// T1 and T2 (0.5 h and 2 h) under the one id, T3 (1 h) under 12345.
#[test]
fn long_ids_in_number_cells_are_warned_of() {
    let w = Workdir::new();
    let book = fixture("excel/long_ids.xlsx");
    let (out, err) = w.csv_and_stderr(&["tickets", &book, "--by", "customer_id"]);
    let said = "long_ids.xlsx[Sheet]: column 'customer_id' (customer_id): 2 values are numbers of 16 or more digits in the workbook's number cells (e.g. '123456789012345000'), which keep 15 significant digits: such ids have lost digits, so distinct ones merge";
    assert!(err.contains(said), "{err}");
    let rows = parse_csv(&out);
    assert_eq!(rows[0]["customer_id"], "12345");
    assert_num(&rows[0], "first_response_mean_hours", 1.0);
    assert_eq!(rows[1]["customer_id"], "123456789012345000");
    assert_num(&rows[1], "first_response_mean_hours", 1.25);
    let out = w.cxm().args(["inspect", &book]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains(said), "{text}");
    // Ids of 15 digits or fewer say nothing.
    let (_, err) = w.csv_and_stderr(&["tickets", &fixture("excel/far.xlsx")]);
    assert!(!err.contains("significant digits"), "{err}");
}

/// Two 16-digit ids a script wrote exactly (exact_16_digit_ids.xlsx: ending in 6 and
/// 7, below 2^53) lost no digit: two tickets, answered in 1 h and 2 h, nothing said.
#[test]
fn exact_16_digit_ids_are_no_alarm() {
    let w = Workdir::new();
    let book = fixture("excel/exact_16_digit_ids.xlsx");
    let (out, err) = w.csv_and_stderr(&["tickets", &book, "--per-ticket"]);
    assert!(!err.contains("significant digits"), "{err}");
    let rows = parse_csv(&out);
    assert_eq!(rows[0]["ticket_id"], "1234567890123456");
    assert_num(&rows[0], "first_response_hours", 1.0);
    assert_eq!(rows[1]["ticket_id"], "1234567890123457");
    assert_num(&rows[1], "first_response_hours", 2.0);
}
