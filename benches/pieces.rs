//! In-process pieces: timestamp parsing (the ISO fast path against chrono, which is what
//! polars does for `%.f`/`%z` formats), a block of records split into string columns
//! (the quote-free path of `input::blocks` against polars' CSV reader over the same
//! bytes), the whole ticket computation on a generated sample, and a result of 200k
//! rows printed as CSV.
//! `cargo bench --bench pieces`.

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
        declared: None,
        typed: false,
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

fn blocks(c: &mut Criterion) {
    use polars::prelude::*;
    let dir = tempfile::tempdir().expect("a temporary directory");
    cxm::sample::write(dir.path(), 200_000, 1_000, None, 1).expect("sample data");
    let text = std::fs::read(dir.path().join("tickets.csv")).expect("the sample");
    let header_end = text.iter().position(|&b| b == b'\n').unwrap_or(0);
    let headers: Vec<String> = String::from_utf8_lossy(&text[..header_end])
        .split(',')
        .map(str::to_string)
        .collect();
    let block = text[header_end + 1..].to_vec();
    let read = [
        "ticket_id",
        "created_at",
        "first_response_at",
        "resolved_at",
        "team",
        "agent_replies",
        "reopens",
    ];
    let layout = cxm::input::blocks::Layout {
        delimiter: b',',
        width: headers.len(),
        wanted: read
            .iter()
            .filter_map(|r| headers.iter().position(|h| h == r))
            .map(|i| (i, headers[i].as_str().into()))
            .collect(),
    };
    let mut schema = Schema::default();
    for h in &headers {
        schema.with_column(h.as_str().into(), DataType::String);
    }
    let schema = std::sync::Arc::new(schema);
    let mut g = c.benchmark_group("block of 200k tickets to string columns");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(block.len() as u64));
    g.bench_function("input::blocks::plain_frame", |b| {
        b.iter(|| cxm::input::blocks::plain_frame(black_box(&block), &layout).map(|df| df.height()))
    });
    g.bench_function("polars CSV reader", |b| {
        b.iter(|| {
            let source = ScanSources::Buffers([polars_buffer::Buffer::from(block.clone())].into());
            LazyCsvReader::new_with_sources(source)
                .with_has_header(false)
                .with_schema(Some(schema.clone()))
                .finish()
                .and_then(|lf| lf.select(read.map(col)).collect())
                .map(|df| df.height())
        })
    });
    g.finish();
}

fn tickets(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    cxm::sample::write(dir.path(), 200_000, 1_000, None, 1).expect("sample data");
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

fn csv_out(c: &mut Criterion) {
    use polars::prelude::*;
    let n = 200_000usize;
    let key: Vec<String> = (0..n).map(|i| format!("T{i:08}")).collect();
    let mut cols = vec![Column::new("k".into(), key)];
    for j in 0..4 {
        let v: Vec<i64> = (0..n).map(|i| ((i * 7 + j) % 3) as i64).collect();
        cols.push(Column::new(format!("n{j}").into(), v));
    }
    for j in 0..11 {
        let v: Vec<Option<f64>> = (0..n)
            .map(|i| match (i + j) % 5 {
                0 => Some(100.0),
                1 => Some(0.0),
                _ => Some(((i * 7919 + j * 104729) % 1_000_000) as f64 / 3700.0),
            })
            .collect();
        cols.push(Column::new(format!("f{j}").into(), v));
    }
    let df = DataFrame::new_infer_height(cols).unwrap();
    let report = cxm::report::Report {
        title: String::new(),
        table: cxm::report::Table::from_frame(&df, None).unwrap(),
    };
    let mut g = c.benchmark_group("csv");
    g.sample_size(20);
    g.throughput(Throughput::Elements(n as u64));
    g.bench_function("200k rows x 16", |b| {
        b.iter(|| {
            let mut sink = std::io::sink();
            cxm::render::write(black_box(&report), cxm::render::Format::Csv, 80, &mut sink)
        })
    });
    g.finish();
}

criterion_group!(benches, timestamps, blocks, tickets, csv_out);
criterion_main!(benches);
