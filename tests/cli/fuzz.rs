//! Property: on any CSV-shaped text, the loader and every metric command return a
//! result or a usage/data error (exit 2 or 3), never a panic or an internal error.
//!
//! `cargo test --release fuzz` runs 64 cases per command; set `PROPTEST_CASES` for a
//! long run (see README "Robustness").

use clap::Parser;
use proptest::prelude::*;

const HEADERS: &[&str] = &[
    "ticket_id",
    "created_at",
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
    "csat",
    "ces",
    "nps",
    "customer_id",
    "start_date",
    "end_date",
    "mrr",
    "plan",
    "churned",
    "Created at",
    "Via",
    "x",
];

fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("NULL".to_string()),
        Just("2025-03-03T09:00:00Z".to_string()),
        Just("2025-03-03 09:00:00".to_string()),
        Just("03/04/2025 09:00:00 AM".to_string()),
        Just("2025-03-30T02:30:00".to_string()),
        Just("2025-03-03T10:00:00+01:00".to_string()),
        Just("2025-13-45".to_string()),
        Just("Very satisfied".to_string()),
        Just("good".to_string()),
        Just("csat".to_string()),
        Just("nps".to_string()),
        Just("Yes".to_string()),
        Just("\"a, \"\"b\"\"\nc\"".to_string()),
        (-5i64..20).prop_map(|n| n.to_string()),
        (-1.0e12f64..1.0e12).prop_map(|x| x.to_string()),
        "[a-zA-Z0-9 ;\t\"=+@-]{0,8}",
        any::<String>().prop_map(|s| s.chars().take(6).collect()),
    ]
}

fn csv_text() -> impl Strategy<Value = String> {
    (
        proptest::sample::subsequence(HEADERS, 1..8),
        prop_oneof![Just(','), Just(';'), Just('\t')],
        0usize..6,
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
                prop_oneof![Just("\n"), Just("\r\n"), Just("\n\n")],
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

fn check(args: &[&str]) -> Result<(), TestCaseError> {
    let cli = match cxm::cli::Cli::try_parse_from(args) {
        Ok(c) => c,
        Err(_) => return Ok(()),
    };
    let result = match cli.command {
        cxm::cli::Command::Tickets(a) => cxm::cmd::tickets::compute(&a).map(|_| ()),
        cxm::cli::Command::Surveys(a) => cxm::cmd::surveys::compute(&a).map(|_| ()),
        cxm::cli::Command::Churn(a) => cxm::cmd::churn::compute(&a).map(|_| ()),
        _ => Ok(()),
    };
    if let Err(e) = result {
        prop_assert!(
            matches!(e.exit_code(), 2 | 3),
            "internal error (exit {}): {e}",
            e.exit_code()
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(64),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn no_panic_on_csv_shaped_text(text in csv_text(), every in prop_oneof![Just("month"), Just("week")]) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("in.csv");
        std::fs::write(&path, &text).unwrap();
        let p = path.to_str().unwrap();
        check(&["cxm", "tickets", p, "--by", "team", "--every", every, "--tz", "Europe/Berlin", "-q"])?;
        check(&["cxm", "surveys", p, "--every", every, "-q"])?;
        check(&["cxm", "churn", p, "--every", every, "-q"])?;
        check(&["cxm", "churn", p, "--inactive-after", "30d", "-q"])?;
    }

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
