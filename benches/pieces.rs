//! In-process pieces: timestamp parsing (the ISO fast path against chrono, which is what
//! polars does for `%.f`/`%z` formats) and the whole ticket computation on a generated
//! sample. `cargo bench --bench pieces`.

use std::hint::black_box;

use chrono::NaiveDateTime;
use clap::Parser;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use cxm::cli::{Cli, Command};
use cxm::input::iso::Shape;
use cxm::input::timestamp::{Order, TsFormat, Zone};

const PATTERN: &str = "%Y-%m-%dT%H:%M:%S%.fZ";

fn values(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            format!(
                "2025-{:02}-{:02}T{:02}:{:02}:{:02}Z",
                i % 12 + 1,
                i % 28 + 1,
                i % 24,
                i % 60,
                (i * 7) % 60
            )
        })
        .collect()
}

fn timestamps(c: &mut Criterion) {
    let v = values(100_000);
    let format = TsFormat {
        pattern: PATTERN.into(),
        zone: Zone::Utc,
        order: Order::Unambiguous,
    };
    let shape = Shape::of(&format).expect("an ISO shape");
    let mut g = c.benchmark_group("timestamp");
    g.throughput(Throughput::Elements(v.len() as u64));
    g.bench_function("iso fast path", |b| {
        b.iter(|| {
            v.iter()
                .filter_map(|s| shape.parse(black_box(s)))
                .sum::<i64>()
        })
    });
    g.bench_function("chrono", |b| {
        b.iter(|| {
            v.iter()
                .filter_map(|s| NaiveDateTime::parse_from_str(black_box(s), PATTERN).ok())
                .map(|t| t.and_utc().timestamp_millis())
                .sum::<i64>()
        })
    });
    g.finish();
}

fn tickets(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    cxm::sample::write(dir.path(), 200_000, 1_000, 1).expect("sample data");
    let file = dir.path().join("tickets.csv");
    let argv = [
        "cxm",
        "tickets",
        file.to_str().unwrap_or_default(),
        "--by",
        "team",
    ];
    let Ok(Cli {
        command: Command::Tickets(args),
        ..
    }) = Cli::try_parse_from(argv)
    else {
        panic!("not a tickets command")
    };
    let mut g = c.benchmark_group("tickets");
    g.sample_size(10);
    g.throughput(Throughput::Elements(200_000));
    g.bench_function("200k by team", |b| {
        b.iter(|| cxm::cmd::tickets::compute(&args).expect("metrics"))
    });
    g.finish();
}

criterion_group!(benches, timestamps, tickets);
criterion_main!(benches);
