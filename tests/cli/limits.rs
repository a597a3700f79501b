//! Bounded and located: over-long records, inputs that can be read only once, UTF-16,
//! ambiguous headers and group names, and data text that reaches the terminal.

use std::io::Write;
use std::process::Command;
use std::time::Duration;

use crate::common::{assert_num, Workdir};

const HEADER: &str = "ticket_id,created_at,first_response_at\n";
const ROW_A: &str = "A,2025-03-03T09:00:00Z,2025-03-03T10:00:00Z\n";
const ROW_B: &str = "B,2025-03-03T09:00:00Z,2025-03-03T09:30:00Z\n";

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

/// With a 1 MiB limit, a 20 MiB record that never ends stops the run with exit 3 and
/// names the file and the line it starts on: in a plain file (the block reader), in a
/// gzip file and in a header (the spool and the header read).
#[test]
fn a_record_past_the_size_limit_stops_with_its_line() {
    let wd = Workdir::new();
    // Longer than a block (8 MiB), as a stream with no line end would be.
    let endless = "x".repeat(20 << 20);
    let plain = format!("{HEADER}{ROW_A}{ROW_B}{endless}");
    wd.write("plain.csv", plain.as_bytes());
    wd.write("zipped.csv.gz", &gzip(plain.as_bytes()));
    wd.write("header.csv", endless.as_bytes());
    // Quoted line breaks before it are lines too: T1's team spans lines 2 and 3, so
    // the long record starts on line 5, in a gzip file and in a CR-ended one.
    let broken = format!("{HEADER}T1,2025-01-01T00:00:00Z,\"a\nb\"\n{ROW_B}{endless}");
    wd.write("broken.csv.gz", &gzip(broken.as_bytes()));
    wd.write("cr.csv", broken.replace('\n', "\r").as_bytes());
    for (file, line) in [
        ("plain.csv", 4),
        ("zipped.csv.gz", 4),
        ("header.csv", 1),
        ("broken.csv.gz", 5),
        ("cr.csv", 5),
    ] {
        let out = wd
            .cxm()
            .args(["tickets", file])
            .env("CXM_MAX_RECORD_MB", "1")
            .timeout(Duration::from_secs(60))
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(3), "{file}: {err}");
        assert!(err.contains(file), "{err}");
        assert!(
            err.contains(&format!("line {line}: a record longer than 1 MiB")),
            "{file}: {err}"
        );
    }
    // A limit that is not a whole number of MiB above 0 is a usage error, not ignored.
    for bad in ["0", "abc", "1.5"] {
        let out = wd
            .cxm()
            .args(["tickets", "plain.csv"])
            .env("CXM_MAX_RECORD_MB", bad)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{bad}: {err}");
        assert!(err.contains(&format!("CXM_MAX_RECORD_MB='{bad}'")), "{err}");
    }
    // Under the default limit (64 MiB) the same data reads: the long line is a row
    // without a creation time, rejected and counted.
    let out = wd
        .cxm()
        .args(["tickets", "plain.csv", "--format", "csv", "-q"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(crate::common::parse_csv(&out.stdout)[0]["tickets"], "2");
}

/// The limit holds for a long record that does end, the same however the input
/// comes (a plain file, gzip, stdin): a 3 MiB record between two rows stops a run
/// under a 1 MiB limit at its line; one of 0.7 MiB is read (a row without a creation
/// time, rejected), beside the two good rows.
#[test]
fn the_record_limit_is_the_same_for_every_way_in() {
    let wd = Workdir::new();
    for (name, size, fails) in [("long", 3 << 20, true), ("short", 700 << 10, false)] {
        let text = format!("{HEADER}{ROW_A}{}\n{ROW_B}", "x".repeat(size));
        wd.write(&format!("{name}.csv"), text.as_bytes());
        wd.write(&format!("{name}.csv.gz"), &gzip(text.as_bytes()));
        for way in ["file", "gzip", "stdin"] {
            let mut cmd = wd.cxm();
            cmd.arg("tickets").env("CXM_MAX_RECORD_MB", "1");
            match way {
                "file" => cmd.arg(format!("{name}.csv")),
                "gzip" => cmd.arg(format!("{name}.csv.gz")),
                _ => cmd.arg("-").write_stdin(text.clone()),
            };
            let out = cmd.args(["--format", "csv", "-q"]).output().unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            if fails {
                assert_eq!(out.status.code(), Some(3), "{name} by {way}: {err}");
                assert!(
                    err.contains("line 3: a record longer than 1 MiB"),
                    "{name} by {way}: {err}"
                );
            } else {
                assert!(out.status.success(), "{name} by {way}: {err}");
                assert_eq!(
                    crate::common::parse_csv(&out.stdout)[0]["tickets"],
                    "2",
                    "{name} by {way}"
                );
            }
        }
    }
}

/// `report DIR` skips a FIFO with a data file's name, saying what it is.
#[test]
fn report_skips_a_fifo_in_its_folder_naming_it() {
    let wd = Workdir::new();
    std::fs::create_dir(wd.path("d")).unwrap();
    wd.write("d/tickets.csv", format!("{HEADER}{ROW_A}").as_bytes());
    assert!(Command::new("mkfifo")
        .arg(wd.path("d/extra.csv"))
        .status()
        .unwrap()
        .success());
    let out = wd
        .cxm()
        .args(["report", "d", "--format", "csv"])
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("d/extra.csv: skipped, not a regular file (a FIFO, a socket or a device)"),
        "{err}"
    );
}

/// `report --compare previous` reads its files again for the previous window: from
/// stdin it found the stream empty (exit 3), and from a FIFO it waited for ever. A
/// stream is copied once a run. T1 (Feb) was answered in 0.5 h, T2 (Mar) in 2 h:
/// March's median 2 against February's 0.5, the same from a path, stdin and a FIFO.
#[test]
fn report_compares_a_stream_as_a_file() {
    let wd = Workdir::new();
    let data = "ticket_id,created_at,first_response_at\nT1,2025-02-10T09:00:00Z,2025-02-10T09:30:00Z\nT2,2025-03-10T09:00:00Z,2025-03-10T11:00:00Z\n";
    wd.write("t.csv", data.as_bytes());
    let args = |input: &str| -> Vec<String> {
        let compared = [
            "--period",
            "2025-03",
            "--compare",
            "previous",
            "--format",
            "csv",
        ];
        [&["report", "--tickets", input][..], &compared[..]]
            .concat()
            .iter()
            .map(|a| a.to_string())
            .collect()
    };
    let from_path = wd.cxm().args(args("t.csv")).output().unwrap();
    let text = String::from_utf8_lossy(&from_path.stdout).to_string();
    assert!(
        text.contains("compare,,first_response_median_hours,2\n"),
        "{text}"
    );
    assert!(
        text.contains("compare,,first_response_median_hours_previous,0.5\n"),
        "{text}"
    );
    let from_stdin = wd
        .cxm()
        .args(args("-"))
        .write_stdin(data)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(from_stdin.status.code(), Some(0), "{from_stdin:?}");
    assert_eq!(String::from_utf8_lossy(&from_stdin.stdout), text);
    let fifo = wd.path("t.fifo");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let writer = {
        let (fifo, data) = (fifo.clone(), data.to_string());
        std::thread::spawn(move || std::fs::write(fifo, data))
    };
    let from_fifo = wd
        .cxm()
        .args(args(&fifo.display().to_string()))
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    assert!(writer.join().unwrap().is_ok());
    assert_eq!(from_fifo.status.code(), Some(0), "{from_fifo:?}");
    assert_eq!(String::from_utf8_lossy(&from_fifo.stdout), text);
    // One stream under two names, a FIFO as `f` and `./f` (it waited for ever),
    // stdin as `-` and `/dev/stdin` (the second found it empty), is refused before
    // it is read, as a file given twice is.
    for (names, says) in [
        (
            ["t.fifo", "./t.fifo"],
            "./t.fifo: the same file as t.fifo, given again",
        ),
        (
            ["-", "/dev/stdin"],
            "/dev/stdin: the same file as -, given again",
        ),
    ] {
        let twice = wd
            .cxm()
            .arg("tickets")
            .args(names)
            .write_stdin(data)
            .timeout(Duration::from_secs(60))
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&twice.stderr);
        assert_eq!(twice.status.code(), Some(2), "{err}");
        assert!(err.contains(says), "{err}");
    }
}

/// An endless stream of bytes that are not UTF-8 (`/dev/urandom`) stops at its start,
/// as a file of them does, rather than being copied to the temporary folder for ever.
#[test]
fn an_endless_stream_that_is_not_utf8_stops_at_its_start() {
    let wd = Workdir::new();
    std::fs::create_dir(wd.path("tmp")).unwrap();
    let out = wd
        .cxm()
        .env("TMPDIR", wd.path("tmp"))
        .args(["tickets", "/dev/urandom"])
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("/dev/urandom:"), "{err}");
    // Its NUL bytes (one in 256) say it is no text: no encoding is advised.
    assert!(
        err.contains("bytes that are not valid UTF-8, and NUL bytes: a binary or damaged file?"),
        "{err}"
    );
    assert_eq!(std::fs::read_dir(wd.path("tmp")).unwrap().count(), 0);
}

/// A FIFO with a data file's name in a folder would block the run for ever (no one
/// writes it): the folder's files must be regular, and the run stops naming it.
#[test]
fn a_fifo_in_a_folder_stops_the_run_rather_than_blocking_it() {
    let wd = Workdir::new();
    std::fs::create_dir(wd.path("d")).unwrap();
    wd.write("d/tickets_01.csv", format!("{HEADER}{ROW_A}").as_bytes());
    let fifo = wd.path("d/tickets_02.csv");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let out = wd
        .cxm()
        .args(["tickets", "d"])
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("d/tickets_02.csv: not a regular file (a FIFO, a socket or a device)"),
        "{err}"
    );
}

/// A FIFO can be read once: the whole input must come through that one read.
#[test]
fn a_fifo_input_is_read_once() {
    let wd = Workdir::new();
    let fifo = wd.path("in.csv");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            let mut f = std::fs::OpenOptions::new().write(true).open(fifo).unwrap();
            f.write_all(HEADER.as_bytes()).unwrap();
            f.write_all(ROW_A.as_bytes()).unwrap();
            f.write_all(ROW_B.as_bytes()).unwrap();
        })
    };
    let out = wd
        .cxm()
        .args(["tickets", "in.csv", "--format", "csv"])
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    writer.join().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows = crate::common::parse_csv(&out.stdout);
    assert_eq!(rows[0]["tickets"], "2");
    assert_num(&rows[0], "first_response_mean_hours", 0.75);
}

/// UTF-16 with a byte-order mark (as Excel's "Unicode text" saves) reads as text.
#[test]
fn utf16_files_with_a_mark_are_read() {
    let wd = Workdir::new();
    let text = format!("{HEADER}{ROW_A}")
        .replace('\n', "\r\n")
        .replace("A,", "Ä,");
    for (name, big_endian) in [("le.csv", false), ("be.csv", true)] {
        let mut bytes = if big_endian {
            vec![0xFE, 0xFF]
        } else {
            vec![0xFF, 0xFE]
        };
        for u in text.encode_utf16() {
            bytes.extend(if big_endian {
                u.to_be_bytes()
            } else {
                u.to_le_bytes()
            });
        }
        wd.write(name, &bytes);
        let rows = wd.csv_rows(&["tickets", name, "--by", "ticket_id"]);
        assert_eq!(rows.len(), 1, "{name}");
        assert_eq!(rows[0]["ticket_id"], "Ä", "{name}");
        assert_num(&rows[0], "first_response_mean_hours", 1.0);
    }
}

#[test]
fn group_names_that_collide_are_usage_errors() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket_id,created_at,team,tickets,period\nA,2025-03-03T09:00:00Z,x,1,p\n",
    );
    for (by, every) in [("team,team", false), ("tickets", false), ("period", true)] {
        let mut cmd = wd.cxm();
        cmd.args(["tickets", "t.csv", "--by", by]);
        if every {
            cmd.args(["--every", "day"]);
        }
        let out = cmd.output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "--by {by}: {err}");
        assert!(!err.contains("duplicate"), "{err}");
    }
    // Without --every, a raw column named `period` is an ordinary group.
    let rows = wd.csv_rows(&["tickets", "t.csv", "--by", "period"]);
    assert_eq!(rows[0]["period"], "p");
}

#[test]
fn headers_that_read_alike_are_an_error_not_a_guess() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket_id,created_at,Team,team\nA,2025-03-03T09:00:00Z,x,y\n",
    );
    let out = wd
        .cxm()
        .args(["tickets", "t.csv", "--by", "team"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(
        err.contains("columns 3 'Team' and 4 'team' both read as field 'team'"),
        "{err}"
    );
    // inspect, the tool for such files, still shows it, as a problem.
    let out = wd.cxm().args(["inspect", "t.csv"]).output().unwrap();
    assert!(out.status.success());
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(shown.contains("2 headers normalise to 'team'"), "{shown}");
    // Choosing one settles it.
    let rows = wd.csv_rows(&["tickets", "t.csv", "--by", "team", "--map", "team=team"]);
    assert_eq!(rows[0]["team"], "y");
}

/// `--by` splits at commas: a header holding one is named in the error, with the way
/// to group by it (mapping it to a field), which works.
#[test]
fn a_header_with_a_comma_is_grouped_through_a_field() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket_id,created_at,\"Team, primary\"\nA,2025-03-03T09:00:00Z,x\nB,2025-03-03T09:00:00Z,x\nC,2025-03-03T09:00:00Z,y\n",
    );
    let out = wd
        .cxm()
        .args(["tickets", "t.csv", "--by", "Team, primary"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(err.contains("--by splits at commas"), "{err}");
    let rows = wd.csv_rows(&[
        "tickets",
        "t.csv",
        "--map",
        "team=Team, primary",
        "--by",
        "team",
    ]);
    let counts: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r["team"].as_str(), r["tickets"].as_str()))
        .collect();
    assert_eq!(counts, [("x", "2"), ("y", "1")]);
}

/// One name twice cannot be settled by `--map` (it names a column by its name): the
/// error says to rename one, with or without a --map naming it.
#[test]
fn one_header_name_twice_asks_for_a_rename() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket_id,team,created_at,team\nA,x,2025-03-03T09:00:00Z,y\n",
    );
    for map in [&[][..], &["--map", "team=team"][..]] {
        let out = wd
            .cxm()
            .args(["tickets", "t.csv", "--by", "team"])
            .args(map)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(3), "{err}");
        assert!(err.contains("rename one of them"), "{err}");
        if map.is_empty() {
            assert!(
                err.contains("columns 2 and 4 are both named 'team'"),
                "{err}"
            );
        }
    }
    // inspect gives the same way out, not a --map.
    let out = wd.cxm().args(["inspect", "t.csv"]).output().unwrap();
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(
        shown.contains("2 headers normalise to 'team'")
            && shown.contains("one name is not written twice"),
        "{shown}"
    );
}

#[test]
fn a_broken_link_in_a_directory_is_named() {
    let wd = Workdir::new();
    std::fs::create_dir(wd.path("d")).unwrap();
    wd.write("d/a.csv", format!("{HEADER}{ROW_A}").as_bytes());
    std::os::unix::fs::symlink("gone.csv", wd.path("d/b.csv")).unwrap();
    let out = wd.cxm().args(["tickets", "d"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(err.contains("b.csv"), "{err}");
}

/// An escape sequence in a cell or a header is printed escaped, and a header line of
/// 5,000 columns is not repeated whole in an error.
#[test]
fn data_text_reaching_the_terminal_is_escaped_and_bounded() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket_id,created_at,team\nA,2025-03-03T09:00:00Z,\x1b[31mred\n",
    );
    let out = wd
        .cxm()
        .args(["tickets", "t.csv", "--by", "team", "--format", "table"])
        .output()
        .unwrap();
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    assert!(!table.contains('\x1b'), "{table}");
    assert!(table.contains("\\u{1b}[31mred"), "{table}");

    let wide: Vec<String> = (0..5000).map(|i| format!("column_{i}")).collect();
    wd.write("wide.csv", format!("{}\n", wide.join(",")).as_bytes());
    let out = wd.cxm().args(["tickets", "wide.csv"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(err.len() < 2000, "{} bytes of error", err.len());
    assert!(err.contains("and 4960 more"), "{err}");

    // A timestamp no format reads is named in the error, escaped and cut short.
    let long = "x".repeat(10_000);
    wd.write(
        "when.csv",
        format!("ticket_id,created_at\n1,\x1b[2J\x1b]0;title\x07{long}\n").as_bytes(),
    );
    let out = wd.cxm().args(["tickets", "when.csv"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(!err.contains('\x1b') && !err.contains('\x07'), "{err:?}");
    assert!(err.contains("\\u{1b}[2J"), "{err}");
    assert!(err.len() < 1000, "{} bytes of error", err.len());
}

/// A file's name and the data's text are escaped wherever people read them: the
/// header lines naming the files (tables, Markdown), Markdown's warnings, and the
/// HTML charts' labels (a team holding a line separator or a direction mark); they
/// were printed raw there (ESC ( 0 turns a terminal's letters into line drawing).
#[test]
fn names_and_labels_for_people_are_escaped() {
    let wd = Workdir::new();
    let name = "t\u{2028}x\u{1b}(0y.csv";
    wd.write(
        name,
        "ticket_id,created_at,first_response_at,team\n\
         A,2025-03-03T09:00:00Z,2025-03-03T10:00:00Z,bill\u{2028}ing\n\
         B,2025-03-04T09:00:00Z,2025-03-04T09:30:00Z,rtl\u{202e}ok\n"
            .as_bytes(),
    );
    let raw = |text: &str| text.contains(['\u{1b}', '\u{2028}', '\u{202e}']);
    for format in ["table", "markdown", "html"] {
        let out = wd
            .cxm()
            .args([
                "report",
                "--tickets",
                name,
                "--by",
                "team",
                "--every",
                "day",
            ])
            .args(["--period", "2025-03", "--format", format])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{format}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!raw(&text), "{format}: {text}");
        assert!(text.contains("\\u{2028}"), "{format}: {text}");
    }
    // clap's own messages (a value it refuses) escape them too.
    let out = wd
        .cxm()
        .args(["tickets", name, "--where", "bad\u{202e}"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(!raw(&err) && err.contains("bad\\u{202e}"), "{err}");
}

/// Past the rows sampled at open (2,000), an unterminated quote and bytes that are not
/// UTF-8 are still located: file and line.
#[test]
fn unreadable_bytes_deep_in_a_file_are_located() {
    let wd = Workdir::new();
    let rows: String = (0..3000)
        .map(|i| format!("T{i},2025-03-03T09:00:00Z,2025-03-03T10:00:00Z\n"))
        .collect();
    // Line 1 is the header, so the rows take lines 2..=3001 and the bad one is 3002.
    let quote = format!("{HEADER}{rows}\"Q,2025-03-03T09:00:00Z,\nT9,2025-03-03T09:00:00Z,\n");
    wd.write("quote.csv", quote.as_bytes());
    let mut utf8 = format!("{HEADER}{rows}").into_bytes();
    utf8.extend_from_slice(b"T\xff\xfe,2025-03-03T09:00:00Z,\n");
    wd.write("bytes.csv", &utf8);
    for (file, says) in [
        (
            "quote.csv",
            "quote.csv:3002: a quote opened on this line is never closed",
        ),
        (
            "bytes.csv",
            "bytes.csv:3002: bytes that are not valid UTF-8",
        ),
    ] {
        let out = wd.cxm().args(["tickets", file]).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(3), "{file}: {err}");
        assert!(err.contains(says), "{file}: {err}");
    }
}

/// The bytes of 300,000 sample tickets: a file whose reading takes long enough to be
/// changed under way.
fn sample_tickets(wd: &Workdir) -> Vec<u8> {
    let made = wd
        .cxm()
        .args(["sample", "--out", "s", "--tickets", "300000", "--seed", "1"])
        .output()
        .unwrap();
    assert!(made.status.success(), "{made:?}");
    std::fs::read(wd.path("s/tickets.csv")).unwrap()
}

/// `cxm ARGS` on `t.csv` (300,000 sample tickets), with `change` done to the file
/// once its map shows in `/proc/PID/maps` (the read then under way): the first run
/// that did not finish before the change (exit 0: tried again, up to 10 times).
fn changed_mid_read(args: &[&str], change: impl Fn(&std::path::Path)) -> std::process::Output {
    let wd = Workdir::new();
    let whole = sample_tickets(&wd);
    for _ in 0..10 {
        std::fs::write(wd.path("t.csv"), &whole).unwrap();
        let child = Command::new(env!("CARGO_BIN_EXE_cxm"))
            .current_dir(wd.path(""))
            .args(args)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let maps = format!("/proc/{}/maps", child.id());
        let started = std::time::Instant::now();
        while started.elapsed() < Duration::from_secs(5) {
            let mapped = std::fs::read_to_string(&maps).unwrap_or_default();
            if mapped.contains("t.csv") || mapped.is_empty() {
                break;
            }
            std::thread::sleep(Duration::from_micros(200));
        }
        change(&wd.path("t.csv"));
        let out = child.wait_with_output().unwrap();
        if out.status.code() != Some(0) {
            assert!(!wd.path("out.csv").exists(), "no report of a changed file");
            return out;
        }
    }
    panic!("no run was under way when its file changed");
}

/// A file cut short by another program while cxm reads it (mapped) stops the run
/// with a data error saying so (exit 3), not a bus error without a word.
#[test]
fn an_input_cut_short_while_read_stops_with_a_message() {
    let out = changed_mid_read(&["tickets", "t.csv", "--by", "team", "-q"], |path| {
        let file = std::fs::OpenOptions::new().write(true).open(path).unwrap();
        file.set_len(1_000_000).unwrap();
    });
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    assert!(
        err.contains("an input file was cut short while it was read"),
        "{err}"
    );
}

/// A file appended to (or rewritten) while cxm reads it, in one of its several reads,
/// would give figures of no one file: the run stops before writing the report (exit
/// 3), naming the file.
#[test]
fn an_input_changed_while_read_stops_before_the_report() {
    let args = ["tickets", "t.csv", "--per-ticket", "-q", "-o", "out.csv"];
    let out = changed_mid_read(&args, |path| {
        let mut file = std::fs::OpenOptions::new().append(true).open(path).unwrap();
        file.write_all(b"X1,2025-01-01T00:00:00Z\n").unwrap();
    });
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    assert!(
        err.contains("t.csv: the file changed while it was read"),
        "{err}"
    );
}

/// What a stream is, when it is no UTF-8 text, is said from its bytes as for a file:
/// bzip2 on stdin and UTF-16 without its mark on stdin or gzipped are named so; a
/// Latin-1 file with a stray NUL gets the likelier cause and the Latin-1 advice.
#[test]
fn streams_that_are_not_utf8_are_named_for_what_they_are() {
    let wd = Workdir::new();
    let utf16: Vec<u8> = "ticket_id,created_at\nT1,2025-03-01 10:00 café\n"
        .encode_utf16()
        .flat_map(|u| u.to_le_bytes())
        .collect();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut gz, &utf16).unwrap();
    std::fs::write(wd.path("u16.csv.gz"), gz.finish().unwrap()).unwrap();
    let said = |args: &[&str], stdin: Vec<u8>| {
        let out = wd.cxm().args(args).write_stdin(stdin).output().unwrap();
        assert_eq!(out.status.code(), Some(3), "{out:?}");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let utf16_said = "looks like UTF-16LE text without a byte-order mark";
    let err = said(&["tickets", "-"], utf16.clone());
    assert!(err.contains(&format!("<stdin>: {utf16_said}")), "{err}");
    let err = said(&["tickets", "u16.csv.gz"], Vec::new());
    assert!(err.contains(&format!("u16.csv.gz: {utf16_said}")), "{err}");
    let err = said(&["tickets", "-"], b"BZh91AY&SY\x01\x02\xff\xfe".to_vec());
    assert!(err.contains("<stdin>: compressed with bzip2"), "{err}");
    let latin1 =
        b"ticket_id,created_at,team\nT1,2025-03-01 10:00,Caf\xe9\nT2,2025-03-01 10:00,b\x00\n";
    let err = said(&["tickets", "-"], latin1.to_vec());
    assert!(
        err.contains("<stdin>:2: bytes that are not valid UTF-8, and NUL bytes: a binary or damaged file? (give --encoding latin1 if it is Latin-1 text)"),
        "{err}"
    );
}

/// A file on stdin (`< t.csv`, 300,000 sample tickets) cut short while it is copied
/// stops the run (exit 3) as a named file does: it gave the rows read before the cut
/// with exit 0. The cut comes once the copy is under way (stdin's offset past 0 in
/// `/proc/PID/fdinfo/0`); a run that finished first is tried again, up to 10 times.
#[test]
fn a_file_on_stdin_cut_short_while_read_stops() {
    let wd = Workdir::new();
    let whole = sample_tickets(&wd);
    for _ in 0..10 {
        std::fs::write(wd.path("t.csv"), &whole).unwrap();
        let child = Command::new(env!("CARGO_BIN_EXE_cxm"))
            .current_dir(wd.path(""))
            .args(["tickets", "-", "-q"])
            .stdin(std::fs::File::open(wd.path("t.csv")).unwrap())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let info = format!("/proc/{}/fdinfo/0", child.id());
        let started = std::time::Instant::now();
        while started.elapsed() < Duration::from_secs(5) {
            let text = std::fs::read_to_string(&info).unwrap_or_default();
            let pos = (text.lines())
                .find_map(|l| l.strip_prefix("pos:"))
                .and_then(|p| p.trim().parse::<u64>().ok());
            if pos.is_none_or(|p| p > 0) {
                break;
            }
        }
        let file = std::fs::OpenOptions::new()
            .write(true)
            .open(wd.path("t.csv"))
            .unwrap();
        file.set_len(1_000_000).unwrap();
        let out = child.wait_with_output().unwrap();
        if out.status.code() != Some(0) {
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(3), "{err}");
            assert!(
                err.contains("<stdin>: the file changed while it was read"),
                "{err}"
            );
            return;
        }
    }
    panic!("no run was under way when its file was cut");
}

/// A file given twice is refused (exit 2), whatever its names: stdin as `-` and
/// `/dev/stdin` was read from one copy twice (6 responses of 3, exit 0); a file
/// twice, or beside its folder, counted rows without ids twice.
#[test]
fn one_input_given_twice_is_refused() {
    let wd = Workdir::new();
    let survey = b"submitted_at,csat\n2025-03-03T10:00:00Z,5\n2025-03-03T11:00:00Z,1\n2025-03-03T12:00:00Z,4\n";
    wd.write("s.csv", survey);
    std::fs::create_dir(wd.path("d")).unwrap();
    wd.write("d/s.csv", survey);
    for (args, says) in [
        (
            &["/dev/stdin", "-"][..],
            "-: the same file as /dev/stdin, given again",
        ),
        (
            &["s.csv", "./s.csv"][..],
            "./s.csv: the same file as s.csv, given again",
        ),
        (
            &["s.csv", "-"][..],
            "-: the same file as s.csv, given again",
        ),
        (
            &["d", "d/s.csv"][..],
            "d/s.csv (in folder d): the same file as d/s.csv, given again",
        ),
        (
            &["d/s.csv", "d"][..],
            "d/s.csv (in folder d): the same file as d/s.csv, given again",
        ),
        (&["d", "./d/"][..], "./d/: the same file as d, given again"),
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_cxm"))
            .current_dir(wd.path(""))
            .arg("surveys")
            .args(args)
            .stdin(std::fs::File::open(wd.path("s.csv")).unwrap())
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
    }
    // Two names of one file inside a folder: neither was given, so the advice is to
    // move one; with stdin closed, that is said first (it is `/dev/null` by then).
    std::os::unix::fs::symlink("s.csv", wd.path("d/latest.csv")).unwrap();
    let out = wd.cxm().args(["surveys", "d"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("d/s.csv and d/latest.csv in folder d are one file (a link to the other?), which would be read twice: move one out of the folder"),
        "{err}"
    );
    let out = Command::new("sh")
        .args([
            "-c",
            "exec \"$0\" surveys - /dev/null <&-",
            env!("CARGO_BIN_EXE_cxm"),
        ])
        .current_dir(wd.path(""))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(err.contains("<stdin>: stdin is closed"), "{err}");
    // Through a pipe too: 3 responses, 2 of them 4 or 5.
    let out = wd
        .cxm()
        .args(["surveys", "-", "--format", "csv"])
        .write_stdin(survey.to_vec())
        .output()
        .unwrap();
    let rows = crate::common::parse_csv(&out.stdout);
    assert_eq!(rows[0]["csat_responses"], "3");
    let piped = wd
        .cxm()
        .args(["surveys", "-", "/dev/stdin"])
        .write_stdin(survey.to_vec())
        .output()
        .unwrap();
    assert_eq!(piped.status.code(), Some(2), "{piped:?}");
}

/// A line break in a file's name is written `\n` in the lines naming it: a file
/// dropped into a folder could forge a line `cxm: error: …` of a cron job's log.
#[test]
fn a_line_break_in_a_files_name_is_escaped() {
    let wd = Workdir::new();
    std::fs::create_dir(wd.path("n")).unwrap();
    wd.write(
        "n/tickets\ncxm: error: fake.csv",
        b"ticket_id,created_at\nT1,2025-03-03T10:00:00Z\n",
    );
    let out = wd
        .cxm()
        .args(["report", "n", "-v", "-o", "out.csv"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("cxm: n/tickets\\ncxm: error: fake.csv: 1 row read"),
        "{err}"
    );
    assert!(!err.lines().any(|l| l.starts_with("cxm: error")), "{err}");
}

/// A folder of many exports is named in lines one can read: the first 40 files, then
/// how many more (all 45 were listed, in `-v` and in the report's header alike).
#[test]
fn long_lists_of_files_are_cut_after_forty() {
    let wd = Workdir::new();
    std::fs::create_dir(wd.path("d")).unwrap();
    for i in 10..55 {
        wd.write(
            &format!("d/tickets_{i}.csv"),
            format!("ticket_id,created_at\nT{i},2025-03-03T10:00:00Z\n").as_bytes(),
        );
    }
    let out = wd
        .cxm()
        .args(["tickets", "d", "-v", "-o", "out.csv"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("d/tickets_49.csv + … and 5 more files: 45 rows read"),
        "{err}"
    );
    assert!(!err.contains("tickets_50"), "{err}");
    let md = wd
        .cxm()
        .args(["report", "d", "--format", "markdown"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&md.stdout);
    assert!(text.contains("… and 5 more files (45 rows)"), "{text}");
}

/// Stdin left non-blocking by the program that starts cxm (a pipe whose writer
/// sends a line every 0.2 s) is waited for: it stopped with "Resource temporarily
/// unavailable" (exit 3). Two tickets.
#[test]
fn a_non_blocking_stdin_is_waited_for() {
    use std::os::fd::AsRawFd;
    let (reader, mut writer) = std::io::pipe().unwrap();
    // SAFETY: fcntl only reads and sets the flags of the pipe's open read end.
    unsafe {
        let flags = libc::fcntl(reader.as_raw_fd(), libc::F_GETFL);
        libc::fcntl(reader.as_raw_fd(), libc::F_SETFL, flags | libc::O_NONBLOCK);
    }
    let child = Command::new(env!("CARGO_BIN_EXE_cxm"))
        .args(["tickets", "-", "--format", "csv"])
        .stdin(reader)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    for line in [
        "ticket_id,created_at\n",
        "T1,2025-03-03T10:00:00Z\n",
        "T2,2025-03-03T11:00:00Z\n",
    ] {
        std::thread::sleep(Duration::from_millis(200));
        writer.write_all(line.as_bytes()).unwrap();
    }
    drop(writer);
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert_eq!(crate::common::parse_csv(&out.stdout)[0]["tickets"], "2");
}

/// A stdout left non-blocking (sharing a socket or terminal with a non-blocking
/// stdin) whose reader is slow is waited on: the report stopped at 64 KiB with
/// "Resource temporarily unavailable" (exit 1). 20,000 per-ticket rows, all there.
#[test]
fn a_non_blocking_stdout_is_waited_on() {
    use std::io::Read;
    use std::os::fd::AsRawFd;
    let wd = Workdir::new();
    let rows: String = (0..20_000)
        .map(|i| format!("T{i},2025-03-03T10:00:00Z\n"))
        .collect();
    wd.write("t.csv", format!("ticket_id,created_at\n{rows}").as_bytes());
    let (mut reader, writer) = std::io::pipe().unwrap();
    // SAFETY: fcntl only reads and sets the flags of the pipe's open write end.
    unsafe {
        let flags = libc::fcntl(writer.as_raw_fd(), libc::F_GETFL);
        libc::fcntl(writer.as_raw_fd(), libc::F_SETFL, flags | libc::O_NONBLOCK);
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_cxm"))
        .current_dir(wd.path(""))
        .args(["tickets", "t.csv", "--per-ticket", "--format", "csv"])
        .stdout(writer)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(500));
    let mut text = String::new();
    reader.read_to_string(&mut text).unwrap();
    let status = child.wait().unwrap();
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert_eq!(status.code(), Some(0), "{err}");
    assert_eq!(text.lines().count(), 20_001);
}

/// The folder messages of `report` that list files cut their lists after 40 names
/// too: 45 files whose headers match no kind of data, 45 `.bz2` exports it cannot
/// read, and a line break in a skipped file's name is written `\n`.
#[test]
fn folder_messages_cut_their_lists_and_escape_names() {
    let wd = Workdir::new();
    std::fs::create_dir(wd.path("u")).unwrap();
    std::fs::create_dir(wd.path("z")).unwrap();
    for i in 10..55 {
        wd.write(&format!("u/x{i}.csv"), b"foo,bar\n1,2\n");
        wd.write(&format!("z/t{i}.csv.bz2"), b"x");
    }
    let out = wd.cxm().args(["report", "u"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(
        err.contains("u/x49.csv, … and 5 more files match no known kind"),
        "{err}"
    );
    let out = wd.cxm().args(["tickets", "z"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(err.contains("; … and 5 more files)"), "{err}");
    assert!(!err.contains("t50.csv.bz2"), "{err}");
    std::fs::create_dir(wd.path("n")).unwrap();
    wd.write(
        "n/tickets.csv",
        b"ticket_id,created_at\nT1,2025-03-03T10:00:00Z\n",
    );
    wd.write("n/old\ncxm: error: forged.csv.bz2", b"x");
    let out = wd
        .cxm()
        .args(["tickets", "n", "-o", "out.csv"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("n/old\\ncxm: error: forged.csv.bz2"), "{err}");
    assert!(!err.lines().any(|l| l.starts_with("cxm: error")), "{err}");
}

/// A link beside its target in a folder that `report` sorts into kinds is named as
/// such, with advice one can follow (the user gave only the folder).
#[test]
fn a_link_beside_its_target_in_a_report_folder_is_named() {
    let wd = Workdir::new();
    std::fs::create_dir(wd.path("dm")).unwrap();
    wd.write(
        "dm/tickets.csv",
        b"ticket_id,created_at\nT1,2025-03-03T09:00:00Z\n",
    );
    std::os::unix::fs::symlink("tickets.csv", wd.path("dm/tickets_latest.csv")).unwrap();
    let out = wd.cxm().args(["report", "dm"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("dm/tickets_latest.csv and dm/tickets.csv are one file (a link to the other?), which would be read twice: give one, or move one out of the folder that holds both"),
        "{err}"
    );
}
