//! Parquet files behind the same seam as CSV ([`super::Input`]): the header is the
//! schema, and every column is read as the text a CSV export would hold, so one
//! parse step serves both. Timestamps become ISO 8601 (a zoned one in UTC, with `Z`),
//! dates `YYYY-MM-DD`, an empty string null. A record's location is its row number.

use std::io::Read;
use std::path::Path;

use polars::prelude::*;

use super::source::{Sniffed, Source};
use super::EXTRA;
use crate::data_err;
use crate::error::Result;

/// The first bytes of every Parquet file.
pub const MAGIC: &[u8; 4] = b"PAR1";

/// Does the file at `path` start like a Parquet file?
pub fn looks_like(path: &Path) -> bool {
    let mut head = [0u8; 4];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok_and(|()| &head == MAGIC)
}

/// The file's columns as text, in schema order, plus [`EXTRA`] (always null: a
/// Parquet row cannot have more fields than its schema).
pub fn scan(src: &Source) -> Result<LazyFrame> {
    let path = PlRefPath::new(src.path.to_string_lossy().to_string());
    let mut lf = LazyFrame::scan_parquet(path, ScanArgsParquet::default())
        .map_err(|e| data_err!("{}: cannot read as Parquet: {e}", src.name))?;
    let schema = lf
        .collect_schema()
        .map_err(|e| data_err!("{}: cannot read as Parquet: {e}", src.name))?;
    let mut columns: Vec<Expr> = schema
        .iter()
        .map(|(name, dtype)| as_text(col(name.clone()), dtype).alias(name.clone()))
        .collect();
    columns.push(lit(NULL).cast(DataType::String).alias(EXTRA));
    Ok(lf.select(columns))
}

/// A column as the text a CSV export would hold.
fn as_text(c: Expr, dtype: &DataType) -> Expr {
    match dtype {
        DataType::String => when(c.clone().eq(lit("")))
            .then(lit(NULL).cast(DataType::String))
            .otherwise(c),
        DataType::Datetime(_, None) => c.dt().strftime("%Y-%m-%dT%H:%M:%S%.f"),
        DataType::Datetime(_, Some(_)) => c
            .dt()
            .convert_time_zone(TimeZone::UTC)
            .dt()
            .strftime("%Y-%m-%dT%H:%M:%S%.fZ"),
        _ => c.cast(DataType::String),
    }
}

/// The header (the schema's names) and the first `sample_rows` rows as text.
pub fn sniff(src: &Source, sample_rows: usize) -> Result<Sniffed> {
    let df = scan(src)?
        .limit(sample_rows as IdxSize)
        .collect()
        .map_err(|e| data_err!("{}: cannot read as Parquet: {e}", src.name))?;
    let headers: Vec<String> = df
        .get_column_names()
        .into_iter()
        .filter(|n| n.as_str() != EXTRA)
        .map(|n| n.to_string())
        .collect();
    let sample = rows(&df, &headers)?
        .into_iter()
        .map(csv::StringRecord::from)
        .collect();
    Ok(Sniffed {
        headers,
        delimiter: b',',
        sample,
    })
}

/// The rows of `df` as text cells of the `columns` (null: empty).
pub fn rows(df: &DataFrame, columns: &[String]) -> Result<Vec<Vec<String>>> {
    let texts = columns
        .iter()
        .map(|c| Ok(df.column(c.as_str())?.str()?.clone()))
        .collect::<Result<Vec<_>>>()?;
    Ok((0..df.height())
        .map(|i| {
            texts
                .iter()
                .map(|t| t.get(i).unwrap_or("").to_string())
                .collect()
        })
        .collect())
}

/// The number of rows (from the file's metadata).
pub fn count_rows(src: &Source) -> Result<u64> {
    let df = scan(src)?
        .select([len().cast(DataType::UInt64).alias("n")])
        .collect()
        .map_err(|e| data_err!("{}: cannot read as Parquet: {e}", src.name))?;
    Ok(df.column("n")?.u64()?.get(0).unwrap_or(0))
}
