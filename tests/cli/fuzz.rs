//! Property: on any CSV-shaped text, the loader and every metric command return a
//! result or a usage/data error (exit 2 or 3), never a panic or an internal error.
//! Headers are weighted so that most runs get past the column mapping into parsing,
//! rejects and metrics (the share is printed, and must be over half); some inputs
//! arrive gzipped or through a FIFO. A second property interrupts real runs with
//! SIGINT/SIGTERM and checks that no temporary file or partial output is left.
//!
//! `cargo test --release fuzz` runs 64 cases of each (16 of the signal property); set
//! `PROPTEST_CASES` (and `CXM_SIGNAL_CASES`) for a long run (docs/robustness.md).

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::sync::atomic::{AtomicU64, Ordering};

use clap::Parser;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

/// Every header a dataset may use, grouped so that a case can take one dataset's
/// required fields (by any of their names) and then others.
const TICKET_REQUIRED: &[&[&str]] = &[
    &["ticket_id", "Ticket ID", "Id", "number"],
    &["created_at", "Created at", "Created time", "opened_at"],
];
const SURVEY_REQUIRED: &[&[&str]] = &[&["csat", "nps", "ces", "score", "Rating"]];
const SUBSCRIPTION_REQUIRED: &[&[&str]] = &[
    &["customer_id", "Customer ID", "account_id"],
    &["start_date", "Start date", "started_at"],
];
const SNAPSHOT_REQUIRED: &[&[&str]] = &[&["customer_id", "customerID"], &["churned", "Churn"]];
const OTHERS: &[&str] = &[
    "first_response_at",
    "resolved_at",
    "team",
    "agent_replies",
    "reopens",
    "fcr",
    "first_response_minutes",
    "response_id",
    "submitted_at",
    "survey",
    "score",
    "ticket_id",
    "end_date",
    "mrr",
    "plan",
    "Via",
    "Group",
    "Status",
    "status",
    "x",
];

fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("NULL".to_string()),
        Just("2025-03-03T09:00:00Z".to_string()),
        Just("2025-03-03 09:00:00".to_string()),
        Just("2025-03-04".to_string()),
        Just("03/04/2025 09:00:00 AM".to_string()),
        Just("2025-03-30T02:30:00".to_string()),
        Just("2025-03-03T10:00:00+01:00".to_string()),
        Just("2025-13-45".to_string()),
        Just("1741000000".to_string()),
        Just("Very satisfied".to_string()),
        Just("good".to_string()),
        Just("csat".to_string()),
        Just("nps".to_string()),
        Just("Yes".to_string()),
        Just("NaN".to_string()),
        Just("inf".to_string()),
        Just("-inf".to_string()),
        Just("1e309".to_string()),
        Just("\u{1b}[2J".to_string()),
        Just("\"a, \"\"b\"\"\nc\"".to_string()),
        Just("\"x\ry\"".to_string()),
        (-5i64..20).prop_map(|n| n.to_string()),
        (-1.0e12f64..1.0e12).prop_map(|x| x.to_string()),
        "[a-zA-Z0-9 ;\t\"=+@-]{0,8}",
        any::<String>().prop_map(|s| s.chars().take(6).collect()),
    ]
}

/// A header row: mostly one dataset's required fields (under one of their names) and
/// some other columns, in any order; sometimes any columns at all.
fn headers() -> impl Strategy<Value = Vec<String>> {
    let required = prop_oneof![
        3 => Just(TICKET_REQUIRED),
        2 => Just(SURVEY_REQUIRED),
        2 => Just(SUBSCRIPTION_REQUIRED),
        1 => Just(SNAPSHOT_REQUIRED),
        1 => Just(&[][..]),
    ];
    (required, proptest::sample::subsequence(OTHERS, 0..6))
        .prop_flat_map(|(required, others)| {
            let picks: Vec<_> = required
                .iter()
                .map(|names| proptest::sample::select(*names).prop_map(str::to_string))
                .collect();
            (picks, Just(others))
        })
        .prop_flat_map(|(mut names, others)| {
            for o in others {
                if !names.iter().any(|n| n == o) {
                    names.push(o.to_string());
                }
            }
            if names.is_empty() {
                names.push("x".to_string());
            }
            Just(names).prop_shuffle()
        })
}

fn csv_text() -> impl Strategy<Value = String> {
    (
        headers(),
        prop_oneof![Just(','), Just(';'), Just('\t')],
        0usize..8,
    )
        .prop_flat_map(|(headers, sep, rows)| {
            let width = headers.len();
            (
                Just(headers),
                Just(sep),
                proptest::collection::vec(
                    proptest::collection::vec(cell(), 0..width + 2),
                    rows..=rows,
                ),
                prop_oneof![Just("\n"), Just("\r\n"), Just("\n\n"), Just("\r")],
            )
        })
        .prop_map(|(headers, sep, rows, end)| {
            let sep = sep.to_string();
            let mut text = headers.join(&sep);
            for r in rows {
                text.push_str(end);
                text.push_str(&r.join(&sep));
            }
            text
        })
}

/// How the input reaches cxm.
#[derive(Debug, Clone, Copy)]
enum Delivery {
    File,
    Gzip,
    Fifo,
}

fn delivery() -> impl Strategy<Value = Delivery> {
    prop_oneof![
        6 => Just(Delivery::File),
        1 => Just(Delivery::Gzip),
        1 => Just(Delivery::Fifo),
    ]
}

/// Cases, and cases in which some command got past the column mapping (into parsing,
/// rejects and metrics).
static RUNS: AtomicU64 = AtomicU64::new(0);
static DEEP: AtomicU64 = AtomicU64::new(0);

fn cases(var: &str, default: u32) -> u32 {
    std::env::var(var)
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(default)
}

/// Run one command in-process; the result says whether it got past the mapping.
fn check(args: &[&str]) -> Result<bool, TestCaseError> {
    let cli = match cxm::cli::Cli::try_parse_from(args) {
        Ok(c) => c,
        Err(_) => return Ok(false),
    };
    let result = match cli.command {
        cxm::cli::Command::Tickets(a) => cxm::cmd::tickets::compute(&a).map(|_| ()),
        cxm::cli::Command::Surveys(a) => cxm::cmd::surveys::compute(&a).map(|_| ()),
        cxm::cli::Command::Churn(a) => cxm::cmd::churn::compute(&a).map(|_| ()),
        _ => Ok(()),
    };
    // The end of a run, as `cxm::run` ends one: a stream's copy (a FIFO's) removed.
    cxm::input::source::forget_streams();
    let shallow = result.as_ref().err().is_some_and(|e| {
        let m = e.to_string();
        m.contains("no column for required field")
            || m.contains("the file is empty")
            || m.contains("no score column")
            || m.contains("does not look like")
    });
    if let Err(e) = result {
        prop_assert!(
            matches!(e.exit_code(), 2 | 3),
            "internal error (exit {}): {e}",
            e.exit_code()
        );
    }
    Ok(!shallow)
}

/// Count a case in [`RUNS`], and in [`DEEP`] when any of its `runs` went deep.
fn counted(runs: &[Result<bool, TestCaseError>]) -> Result<(), TestCaseError> {
    RUNS.fetch_add(1, Ordering::Relaxed);
    let mut deep = false;
    for r in runs {
        deep |= r.clone()?;
    }
    DEEP.fetch_add(u64::from(deep), Ordering::Relaxed);
    Ok(())
}

/// Put `text` where a command will read it, run `each` on that path, clean up.
fn deliver(
    text: &str,
    how: Delivery,
    each: impl Fn(&str) -> Result<(), TestCaseError>,
) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().unwrap();
    match how {
        Delivery::File => {
            let path = dir.path().join("in.csv");
            std::fs::write(&path, text).unwrap();
            each(path.to_str().unwrap())
        }
        Delivery::Gzip => {
            let path = dir.path().join("in.csv.gz");
            let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            enc.write_all(text.as_bytes()).unwrap();
            std::fs::write(&path, enc.finish().unwrap()).unwrap();
            each(path.to_str().unwrap())
        }
        Delivery::Fifo => {
            // One FIFO per run: it can be read once.
            let path = dir.path().join("in.csv");
            let status = std::process::Command::new("mkfifo").arg(&path).status();
            prop_assume!(status.is_ok_and(|s| s.success()));
            let p = path.to_str().unwrap().to_string();
            let writer = {
                let (p, text) = (p.clone(), text.to_string());
                std::thread::spawn(move || {
                    if let Ok(mut f) = std::fs::OpenOptions::new().write(true).open(&p) {
                        let _ = f.write_all(text.as_bytes()); // EPIPE if the reader stopped
                    }
                })
            };
            let outcome = each(&p);
            // A run that never opened the FIFO leaves the writer waiting for a reader.
            let _unblock = std::fs::OpenOptions::new()
                .read(true)
                .custom_flags(libc::O_NONBLOCK)
                .open(&p);
            let _ = writer.join();
            outcome
        }
    }
}

#[test]
fn no_panic_on_csv_shaped_text() {
    let mut runner = TestRunner::new(Config {
        cases: cases("PROPTEST_CASES", 64),
        failure_persistence: None,
        ..Config::default()
    });
    let strategy = (
        csv_text(),
        prop_oneof![Just("month"), Just("week")],
        delivery(),
    );
    let outcome = runner.run(&strategy, |(text, every, how)| match how {
        Delivery::Fifo => deliver(&text, how, |p| {
            counted(&[check(&[
                "cxm", "tickets", p, "--by", "team", "--every", every, "-q",
            ])])
        }),
        _ => deliver(&text, how, |p| {
            counted(&[
                check(&[
                    "cxm",
                    "tickets",
                    p,
                    "--by",
                    "team",
                    "--every",
                    every,
                    "--tz",
                    "Europe/Berlin",
                    "-q",
                ]),
                check(&[
                    "cxm", "tickets", p, "--keep", "first", "--period", "2025-03", "-q",
                ]),
                check(&["cxm", "surveys", p, "--every", every, "-q"]),
                check(&["cxm", "churn", p, "--every", every, "-q"]),
                check(&["cxm", "churn", p, "--inactive-after", "30d", "-q"]),
            ])
        }),
    });
    if let Err(e) = outcome {
        panic!("{e}");
    }
    let (runs, deep) = (RUNS.load(Ordering::Relaxed), DEEP.load(Ordering::Relaxed));
    eprintln!(
        "fuzz: in {deep} of {runs} cases ({:.1}%) a command got past the column mapping",
        100.0 * deep as f64 / runs.max(1) as f64
    );
    assert!(
        deep * 2 > runs,
        "only {deep} of {runs} cases got past the mapping"
    );
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: cases("PROPTEST_CASES", 64),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn no_panic_on_random_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("in.csv");
        std::fs::write(&path, &bytes).unwrap();
        let p = path.to_str().unwrap();
        check(&["cxm", "tickets", p, "-q"])?;
        check(&["cxm", "surveys", p, "-q"])?;
        check(&["cxm", "churn", p, "-q"])?;
    }
}

/// A run of the binary on stdin, interrupted after a random delay, with stdin still
/// open or already closed: it either finished (a whole report) or died of the
/// signal, and either way no temporary file (output or spool) is left. Its own case
/// count (`CXM_SIGNAL_CASES`): each case starts a process.
#[test]
fn a_signal_at_any_moment_leaves_no_temporary_file() {
    let mut runner = TestRunner::new(Config {
        cases: cases("CXM_SIGNAL_CASES", 16),
        failure_persistence: None,
        ..Config::default()
    });
    let strategy = (csv_text(), 0u64..30, any::<bool>(), any::<bool>());
    if let Err(e) = runner.run(&strategy, |(text, delay_ms, close_stdin, term)| {
        signal_case(&text, delay_ms, close_stdin, term)
    }) {
        panic!("{e}");
    }
}

fn signal_case(
    text: &str,
    delay_ms: u64,
    close_stdin: bool,
    term: bool,
) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().unwrap();
    let tmp = dir.path().join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("cxm"))
        .args(["tickets", "-", "-o", "out.csv", "-q"])
        .current_dir(dir.path())
        .env("TMPDIR", &tmp)
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take();
    if let Some(s) = stdin.as_mut() {
        let _ = s.write_all(text.as_bytes());
    }
    if close_stdin {
        drop(stdin.take());
    }
    std::thread::sleep(std::time::Duration::from_millis(delay_ms));
    let signal = if term { libc::SIGTERM } else { libc::SIGINT };
    // SAFETY: signalling a child this test started (it may have exited already).
    unsafe { libc::kill(child.id() as i32, signal) };
    let status = child.wait().unwrap();
    drop(stdin);
    let names = |d: &std::path::Path| -> Vec<String> {
        std::fs::read_dir(d)
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect()
    };
    prop_assert!(names(&tmp).is_empty(), "left in TMPDIR: {:?}", names(&tmp));
    let left: Vec<String> = names(dir.path())
        .into_iter()
        .filter(|n| n.starts_with(".cxm-"))
        .collect();
    prop_assert!(left.is_empty(), "left beside the output: {left:?}");
    let signalled = std::os::unix::process::ExitStatusExt::signal(&status);
    prop_assert!(
        signalled == Some(signal) || status.code().is_some_and(|c| c != 1),
        "{status:?}"
    );
    if status.success() {
        let out = std::fs::read(dir.path().join("out.csv")).unwrap();
        prop_assert!(
            out.starts_with(b"tickets,"),
            "{}",
            String::from_utf8_lossy(&out)
        );
    }
    Ok(())
}
