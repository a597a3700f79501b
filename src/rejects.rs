//! Rejected values: counting them, finding where the first of each kind is
//! (file, physical line, column, value), reporting on stderr, and `--strict`.
//!
//! Counting happens in the main query (one boolean flag per rule). Only when some
//! rule fired is a file scanned again, with row numbers, to find the first example;
//! the row number then becomes the physical line where that record starts (a quoted
//! field may span lines).

use std::fs::File;
use std::io::BufReader;

use polars::prelude::*;

use crate::error::{CxmError, Result};
use crate::input::Input;
use crate::metrics::RejectRule;

/// A rule that fired, how often, and where first.
#[derive(Debug, Clone, PartialEq)]
pub struct Rejected {
    pub rule: RejectRule,
    pub count: u64,
    pub first: Option<Example>,
}

/// Where a rejected value was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example {
    pub file: String,
    pub line: u64,
    pub column: String,
    pub value: String,
}

impl std::fmt::Display for Rejected {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let r = &self.rule;
        let field = if r.scope.is_empty() {
            r.field.to_string()
        } else {
            format!("{} {}", r.scope, r.field)
        };
        if r.warn_only {
            write!(f, "{} rows: {} for {field}", self.count, r.reason)?;
        } else {
            write!(f, "{} rejected: {} in {field}", self.count, r.reason)?;
        }
        if let Some(e) = &self.first {
            write!(
                f,
                " (first at {}:{}, column '{}', value '{}')",
                e.file, e.line, e.column, e.value
            )?;
        }
        Ok(())
    }
}

/// Read the one-row frame of counts.
pub fn counts(df: &DataFrame, rules: &[RejectRule]) -> Result<Vec<(RejectRule, u64)>> {
    let mut out = Vec::new();
    for r in rules {
        let n = df
            .column(r.flag.as_str())?
            .as_materialized_series()
            .sum::<u64>()
            .unwrap_or(0);
        if n > 0 {
            out.push((r.clone(), n));
        }
    }
    Ok(out)
}

/// Find the first example of each fired rule. `parse` rebuilds the flags over a scan.
pub fn locate(
    input: &Input,
    fired: Vec<(RejectRule, u64)>,
    fields: &[&str],
    columns: &[String],
    parse: impl Fn(LazyFrame) -> LazyFrame,
) -> Result<Vec<Rejected>> {
    let mut out = Vec::new();
    for (rule, count) in fired {
        let mut first = None;
        for (i, file) in input.files.iter().enumerate() {
            let lf = parse(input.scan_file(i, fields, columns, true)?);
            let hit = lf
                .filter(col(rule.flag.as_str()))
                .select([col(crate::input::ROW_INDEX), col(rule.field)])
                .limit(1)
                .collect()?;
            if hit.height() == 0 {
                continue;
            }
            let row = hit
                .column(crate::input::ROW_INDEX)?
                .get(0)?
                .extract::<u64>()
                .unwrap_or(0);
            let value = match hit.column(rule.field)?.get(0)? {
                AnyValue::String(s) => s.to_string(),
                AnyValue::StringOwned(s) => s.to_string(),
                _ => String::new(),
            };
            let line = record_line(&file.source.path, file.sniffed.delimiter, row)?;
            let column = file
                .mapping
                .get(rule.field)
                .unwrap_or(rule.field)
                .to_string();
            first = Some(Example {
                file: file.source.name.clone(),
                line,
                column,
                value,
            });
            break;
        }
        out.push(Rejected { rule, count, first });
    }
    Ok(out)
}

/// The physical line (1-based, header = line 1) where data record `index` starts.
fn record_line(path: &std::path::Path, delimiter: u8, index: u64) -> Result<u64> {
    let f = File::open(path)?;
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(BufReader::new(f));
    let mut record = csv::ByteRecord::new();
    let mut k = 0;
    while reader
        .read_byte_record(&mut record)
        .map_err(|e| CxmError::Internal(e.to_string()))?
    {
        if k == index {
            return Ok(record.position().map_or(0, |p| p.line()));
        }
        k += 1;
    }
    Ok(0)
}

/// Warn on stderr (unless quiet), or fail under `--strict` when a reject (not a mere
/// warning) fired.
pub fn report(rejected: &[Rejected], strict: bool, quiet: bool) -> Result<()> {
    let rejects: Vec<&Rejected> = rejected.iter().filter(|r| !r.rule.warn_only).collect();
    if strict && !rejects.is_empty() {
        let lines: Vec<String> = rejects.iter().take(5).map(|r| format!("  {r}")).collect();
        return Err(CxmError::Data(format!(
            "--strict: {} kind(s) of rejected values:\n{}",
            rejects.len(),
            lines.join("\n")
        )));
    }
    if !quiet {
        for r in rejected {
            eprintln!("cxm: warning: {r}");
        }
    }
    Ok(())
}
