//! Parquet files behind the same seam as CSV ([`super::Input`]): the header is the
//! schema, and every column is read as the text a CSV export would hold, so one
//! parse step serves both. Timestamps become ISO 8601 (a zoned one in UTC, with `Z`),
//! dates `YYYY-MM-DD`, an empty string null. A record's location is its row number.

use std::io::Read;
use std::path::Path;
use std::sync::Arc;

use polars::prelude::*;

use super::missing::Markers;
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
/// Parquet row cannot have more fields than its schema). A column without a text
/// form (a list, map, struct or bytes) reads as null, and is an error only when it is
/// `needed`; a column of a type that cannot be loaded at all is an error.
pub fn scan(src: &Source, needed: &[&str]) -> Result<LazyFrame> {
    let kinds = column_kinds(src)?;
    for (name, kind) in &kinds {
        match kind {
            ColumnKind::Text => {}
            ColumnKind::NoText(what) if needed.contains(&name.as_str()) => {
                return Err(data_err!(
                    "{}: column '{name}' holds {what}, which cxm does not read; \
                     export it as text or a number",
                    src.name
                ));
            }
            ColumnKind::NoText(_) => {}
            ColumnKind::Unloadable(dtype) => {
                let what = match dtype {
                    ArrowDataType::Decimal(p, s) | ArrowDataType::Decimal256(p, s) => format!(
                        "a DECIMAL({p}, {s}), wider than the {DECIMAL_DIGITS} digits cxm reads"
                    ),
                    other => format!("of type {other:?}, which cannot be read"),
                };
                return Err(data_err!(
                    "{}: column '{name}' is {what}; cast it to text or a number in the \
                     export, or leave it out",
                    src.name
                ));
            }
        }
    }
    let path = PlRefPath::new(super::scan_path(&src.path));
    let (lf, schema) = guarded(src, || {
        // A file's name, never a pattern (`t [1].parquet`), and its folders' names
        // no columns (`team=zzz/t.parquet` had every row's team set to `zzz`).
        let args = ScanArgsParquet {
            glob: false,
            hive_options: HiveOptions::new_disabled(),
            ..ScanArgsParquet::default()
        };
        let mut lf = LazyFrame::scan_parquet(path, args)?;
        let schema = lf.collect_schema()?;
        Ok((lf, schema))
    })?;
    let mut columns: Vec<Expr> = schema
        .iter()
        .map(|(name, dtype)| {
            let text = match kinds
                .iter()
                .any(|(n, k)| n == name && *k != ColumnKind::Text)
            {
                true => lit(NULL).cast(DataType::String),
                // By its literal name: `col` reads `*` and `^…$` as patterns.
                false => as_text(Expr::Column(name.clone()), dtype),
            };
            text.alias(name.clone())
        })
        .collect();
    columns.push(lit(NULL).cast(DataType::String).alias(EXTRA));
    Ok(lf.select(columns))
}

/// A CSV copy of the file's rows as text, each record located at its row of the file
/// (as a workbook's sheet is): for a layout whose rows are rewritten before reading
/// (a survey export's extra header rows, a legacy Qualtrics header, SurveyMonkey's
/// expanded questions), as its CSV export is.
pub fn as_csv(src: Source) -> Result<Source> {
    let df = collect(&src, scan(&src, &[])?)?;
    let headers: Vec<String> = (df.get_column_names().into_iter())
        .filter(|n| n.as_str() != EXTRA)
        .map(|n| n.to_string())
        .collect();
    let tmp = crate::cleanup::temp_file_in(&std::env::temp_dir(), "cxm-input-", ".csv", 0o600)
        .map_err(|e| {
            crate::error::CxmError::Internal(format!("cannot create a temporary file: {e}"))
        })?;
    let mut writer = csv::Writer::from_writer(std::io::BufWriter::new(tmp));
    let copy_err = |e: csv::Error| data_err!("{}: cannot copy: {e}", src.name);
    writer.write_record(&headers).map_err(copy_err)?;
    for row in rows(&df, &headers)? {
        writer.write_record(&row).map_err(copy_err)?;
    }
    let tmp = (writer.into_inner())
        .map_err(|e| data_err!("{}: cannot copy: {}", src.name, e.error()))?
        .into_inner()
        .map_err(|e| data_err!("{}: cannot copy: {}", src.name, e.error()))?;
    // Row 1 is the first under the header, as the file's rows are numbered.
    let mut copy = Source::spooled(
        src.name.clone(),
        tmp,
        super::source::FileFormat::Csv,
        Some(0),
    );
    // Its timestamps are instants, as a workbook's date cells are.
    copy.typed_dates = (time_columns(&src)?.into_iter())
        .map(|c| (c, true))
        .collect();
    copy.note = src.note;
    copy.footer_zone = src.footer_zone;
    copy.skipped_beside = src.skipped_beside;
    copy.parquet_copy = true;
    Ok(copy)
}

/// The columns read as null for want of a text form, with what they hold (lists,
/// maps, structs, bytes), for `inspect`.
pub fn unread_columns(src: &Source) -> Result<Vec<(String, &'static str)>> {
    Ok(column_kinds(src)?
        .into_iter()
        .filter_map(|(name, kind)| match kind {
            ColumnKind::NoText(what) => Some((name, what)),
            _ => None,
        })
        .collect())
}

/// How a column of the file can be read.
#[derive(Debug, Clone, PartialEq)]
enum ColumnKind {
    Text,
    /// Loaded, but with no text form: what it holds.
    NoText(&'static str),
    /// A type the reader cannot load (it would stop the run on any column of it).
    Unloadable(ArrowDataType),
}

/// Each column's [`ColumnKind`], from the file's own schema (read before the file is
/// loaded: loading a type the reader lacks would stop the run).
/// The columns of dates and timestamps: instants, which no `--date-format` reads.
pub fn time_columns(src: &Source) -> Result<Vec<String>> {
    let file = std::fs::File::open(&src.path)
        .map_err(|e| data_err!("{}: cannot read as Parquet: {e}", src.name))?;
    let schema = guarded(src, || ParquetReader::new(file).schema())?;
    let time = |d: &ArrowDataType| {
        matches!(
            d,
            ArrowDataType::Timestamp(..) | ArrowDataType::Date32 | ArrowDataType::Date64
        )
    };
    Ok((schema.iter())
        .filter(|(_, field)| match &field.dtype {
            ArrowDataType::Dictionary(_, values, _) => time(values),
            d => time(d),
        })
        .map(|(name, _)| name.to_string())
        .collect())
}

fn column_kinds(src: &Source) -> Result<Vec<(String, ColumnKind)>> {
    let file = std::fs::File::open(&src.path)
        .map_err(|e| data_err!("{}: cannot read as Parquet: {e}", src.name))?;
    let schema = guarded(src, || ParquetReader::new(file).schema())?;
    Ok(schema
        .iter()
        .map(|(name, field)| (name.to_string(), kind_of(&field.dtype)))
        .collect())
}

fn kind_of(dtype: &ArrowDataType) -> ColumnKind {
    use ArrowDataType as A;
    let nested = |what, inner: &[&ArrowDataType]| match inner.iter().all(|d| loadable(d)) {
        true => ColumnKind::NoText(what),
        false => ColumnKind::Unloadable(dtype.clone()),
    };
    match dtype {
        // Sixteen bytes a value: a UUID (DuckDB's and pyarrow's), read in its text form.
        A::FixedSizeBinary(16) => ColumnKind::Text,
        A::Binary | A::LargeBinary | A::BinaryView | A::FixedSizeBinary(_) => {
            ColumnKind::NoText("bytes")
        }
        A::List(f) | A::LargeList(f) => nested("lists", &[&f.dtype]),
        A::Map(f, _) => nested("maps", &[&f.dtype]),
        A::Struct(fields) => nested(
            "structs",
            &fields.iter().map(|f| &f.dtype).collect::<Vec<_>>(),
        ),
        A::Dictionary(_, values, _) => kind_of(values),
        _ if loadable(dtype) => ColumnKind::Text,
        _ => ColumnKind::Unloadable(dtype.clone()),
    }
}

/// The most digits of a decimal the reader loads.
const DECIMAL_DIGITS: usize = 38;

/// Can the reader load a column of this type (with the dtypes this build has)?
fn loadable(dtype: &ArrowDataType) -> bool {
    use ArrowDataType as A;
    match dtype {
        A::Null
        | A::Boolean
        | A::Int8
        | A::Int16
        | A::Int32
        | A::Int64
        | A::UInt8
        | A::UInt16
        | A::UInt32
        | A::UInt64
        | A::Float16
        | A::Float32
        | A::Float64
        | A::Utf8
        | A::LargeUtf8
        | A::Utf8View
        | A::Binary
        | A::LargeBinary
        | A::BinaryView
        | A::FixedSizeBinary(_)
        | A::Date32
        | A::Date64
        | A::Timestamp(_, None)
        | A::Time32(_)
        | A::Time64(_)
        | A::Duration(_)
        | A::Decimal32(..)
        | A::Decimal64(..) => true,
        // Up to 38 digits (BigQuery's BIGNUMERIC and NUMBER(40, 2) are wider).
        A::Decimal(digits, _) | A::Decimal256(digits, _) => *digits <= DECIMAL_DIGITS,
        A::List(f) | A::LargeList(f) | A::Map(f, _) => loadable(&f.dtype),
        A::Struct(fields) => fields.iter().all(|f| loadable(&f.dtype)),
        A::Dictionary(_, values, _) => loadable(values),
        A::Timestamp(_, Some(zone)) => {
            TimeZone::opt_try_new(Some(zone.clone())).is_ok() || fixed_offset(zone)
        }
        _ => false,
    }
}

/// A UUID's 16 bytes as its text, `6f1c2a7e-0b8e-4c59-9a53-1d2f3e4a5b6c`.
fn uuid_text(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(36);
    for (i, b) in bytes.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            out.push('-');
        }
        out.push_str(&format!("{b:02x}"));
    }
    out
}

/// A zone written as an offset (`+05:30`, `-0930`): its instants are read as the
/// UTC instants they are stored as.
fn fixed_offset(zone: &str) -> bool {
    let digits = zone.strip_prefix(['+', '-']).unwrap_or("").replace(':', "");
    digits.len() == 4 && digits.bytes().all(|b| b.is_ascii_digit())
}

/// A column as the text a CSV export would hold.
fn as_text(c: Expr, dtype: &DataType) -> Expr {
    match dtype {
        // Only UUIDs reach here as bytes ([`kind_of`]): `8-4-4-4-12` lower-case hex.
        DataType::Binary => c.map(
            |col| {
                let uuids: StringChunked =
                    (col.binary()?.iter()).map(|v| v.map(uuid_text)).collect();
                Ok(uuids.with_name(col.name().clone()).into_column())
            },
            |_, f| Ok(Field::new(f.name().clone(), DataType::String)),
        ),
        DataType::String => when(c.clone().eq(lit("")))
            .then(lit(NULL).cast(DataType::String))
            .otherwise(c),
        DataType::Datetime(_, None) => c.dt().strftime("%Y-%m-%dT%H:%M:%S%.f"),
        DataType::Datetime(_, Some(_)) => c
            .dt()
            .convert_time_zone(TimeZone::UTC)
            .dt()
            .strftime("%Y-%m-%dT%H:%M:%S%.fZ"),
        // No cast to text: written as a clock, `H:MM:SS[.fff]`, as Excel durations
        // are read (a duration field reads a clock whatever its unit).
        DataType::Duration(unit) => {
            let per_second: i64 = match unit {
                TimeUnit::Milliseconds => 1_000,
                TimeUnit::Microseconds => 1_000_000,
                TimeUnit::Nanoseconds => 1_000_000_000,
            };
            c.cast(DataType::Int64).map(
                move |col| {
                    let counts = col.i64()?;
                    let clocks: StringChunked = counts
                        .iter()
                        .map(|v| v.map(|v| clock(v, per_second)))
                        .collect();
                    Ok(clocks.with_name(col.name().clone()).into_column())
                },
                |_, f| Ok(Field::new(f.name().clone(), DataType::String)),
            )
        }
        // A whole float as the integer (`1001`, not `1001.0`): pandas writes integer
        // columns with a gap (ids, counts) as floats, and an id must meet its text.
        DataType::Float32 | DataType::Float64 => {
            let exact =
                (c.clone().lt_eq(lit(WHOLE_FLOATS))).and(c.clone().gt_eq(lit(-WHOLE_FLOATS)));
            let whole = c.clone().floor().eq(c.clone()).and(exact);
            when(whole)
                .then(c.clone().cast(DataType::Int64).cast(DataType::String))
                .otherwise(c.cast(DataType::String))
        }
        _ => c.cast(DataType::String),
    }
}

/// Floats up to this are whole numbers exactly where they are whole.
const WHOLE_FLOATS: f64 = 9_007_199_254_740_992.0;

/// `count` units of which `per_second` make a second, as `H:MM:SS` (`.fff` when
/// there are milliseconds).
fn clock(count: i64, per_second: i64) -> String {
    let sign = if count < 0 { "-" } else { "" };
    let ms = (i128::from(count).abs() * 1000 / i128::from(per_second)) as u128;
    let (secs, frac) = (ms / 1000, ms % 1000);
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    match frac {
        0 => format!("{sign}{h}:{m:02}:{s:02}"),
        f => format!("{sign}{h}:{m:02}:{s:02}.{f:03}"),
    }
}

/// The header (the schema's names) and the first `sample_rows` rows as text.
pub fn sniff(src: &Source, sample_rows: usize) -> Result<Sniffed> {
    let df = collect(src, scan(src, &[])?.limit(sample_rows as IdxSize))?;
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
    let counted = scan(src, &[])?.select([len().cast(DataType::UInt64).alias("n")]);
    let df = collect(src, counted)?;
    Ok(df.column("n")?.u64()?.get(0).unwrap_or(0))
}

/// The rows of `src`, and how many of them are blank as the metric commands read
/// them (every column null, spaces, or `null`/`NULL`, as a CSV line is blank).
pub fn count_rows_and_blank(src: &Source, markers: &Arc<Markers>) -> Result<(u64, u64)> {
    let mut lf = scan(src, &[])?;
    let schema = guarded(src, || lf.collect_schema())?;
    // Null, or text blank or a marker of missing, as the commands read a cell.
    let blank_cell = |name: &str, dtype: &DataType| {
        let cell = Expr::Column(name.into());
        match dtype {
            DataType::String => markers.clear(cell).is_null(),
            _ => cell.is_null(),
        }
    };
    let blank = (schema.iter())
        .map(|(name, dtype)| blank_cell(name.as_str(), dtype))
        .reduce(|a, b| a.and(b))
        .unwrap_or(lit(false));
    let counted = lf.select([
        len().cast(DataType::UInt64).alias("n"),
        blank.cast(DataType::UInt64).sum().alias("blank"),
    ]);
    let df = collect(src, counted)?;
    let get = |c: &str| -> Result<u64> { Ok(df.column(c)?.u64()?.get(0).unwrap_or(0)) };
    Ok((get("n")?, get("blank")?))
}

/// The rows of a scan of `src`.
pub fn collect(src: &Source, scan: LazyFrame) -> Result<DataFrame> {
    guarded(src, || scan.collect())
}

/// Run polars' Parquet reader on `src`: an error, or a panic (a damaged file can
/// make it index out of bounds), is an error naming the file (exit 3).
fn guarded<T>(src: &Source, read: impl FnOnce() -> PolarsResult<T>) -> Result<T> {
    match crate::panics::catch(read) {
        Ok(read) => read.map_err(|e| data_err!("{}: cannot read as Parquet: {e}", src.name)),
        Err(failure) => Err(data_err!(
            "{}: cannot read as Parquet: the file is damaged (its reader failed: {})",
            src.name,
            innermost(&failure)
        )),
    }
}

/// A reader's panic as its first cause: without the wrappers of the threads that
/// handed it on (`called `Result::unwrap()` on an `Err` value: JoinError::Panic(Id(7),
/// "…", …)`) or the reader's source place, which say nothing about the file.
fn innermost(failure: &str) -> String {
    let mut text = failure.to_string();
    if let Some(at) = text.rfind(" (") {
        if text.ends_with(')') && text[at..].contains(".rs:") {
            text.truncate(at);
        }
    }
    loop {
        let unwrapped = text.strip_prefix("called `Result::unwrap()` on an `Err` value: ");
        let rest = unwrapped.unwrap_or(&text);
        let inner = (rest.strip_prefix("JoinError::Panic(Id("))
            .and_then(|r| r.find("), \"").map(|i| &r[i + 4..]))
            .and_then(|r| r.rfind("\", ").map(|end| &r[..end]));
        match inner {
            Some(inner) => text = inner.replace("\\\"", "\"").replace("\\\\", "\\"),
            None => return rest.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::innermost;

    /// The messages polars' reader gave on tests/fixtures/parquet's damaged files.
    #[test]
    fn a_readers_panic_is_told_by_its_first_cause() {
        let nested = r#"called `Result::unwrap()` on an `Err` value: JoinError::Panic(Id(7), "called `Result::unwrap()` on an `Err` value: JoinError::Panic(Id(5), \"index out of bounds: the len is 0 but the index is 1\", ...)", ...) (mod.rs:362)"#;
        assert_eq!(
            innermost(nested),
            "index out of bounds: the len is 0 but the index is 1"
        );
        assert_eq!(
            innermost("thrift bool field (file_metadata_thrift.rs:350)"),
            "thrift bool field"
        );
        assert_eq!(innermost("out of spec (a note)"), "out of spec (a note)");
    }
}
