//! Excel workbooks (`.xlsx`, `.xlsm`) behind the same seam as CSV: one sheet (the
//! first, or `--sheet NAME`) is copied into a private CSV spool, each cell as the
//! text an export would hold, so sniffing, the block reader, rejects and `--where`
//! read it as any CSV. A rejected value is located by the sheet's own row number, as
//! Excel shows it: `tickets.xlsx[Sheet1]: row 7`.
//!
//! A report's title rows above the header, and a footer below the table after a
//! blank row, are left out (see [`table_rows`]).
//!
//! Cells: a date-time as `YYYY-MM-DD HH:MM:SS` (milliseconds when it has them), a
//! time of day or duration as `H:MM:SS`, a whole number without a decimal point,
//! TRUE/FALSE as `true`/`false`, an error (`#N/A`, `#DIV/0!`) as Excel writes it (so
//! `#N/A` is missing and `#DIV/0!` an unreadable value).

use std::path::Path;

use calamine::{open_workbook, Data, Reader, Xlsx};

use super::source::{FileFormat, Source};
use crate::data_err;
use crate::error::{CxmError, Result};

/// The first bytes of a ZIP archive, which an `.xlsx` is.
pub const ZIP_MAGIC: &[u8; 4] = b"PK\x03\x04";

/// Is this the name of a workbook cxm reads?
pub fn is_workbook_name(path: &Path) -> bool {
    let name = path.to_string_lossy().to_ascii_lowercase();
    name.ends_with(".xlsx") || name.ends_with(".xlsm")
}

/// Copy one sheet of the workbook at `path` into a CSV spool.
pub fn spool(path: &Path, name: &str, sheet: Option<&str>) -> Result<Source> {
    let mut book: Xlsx<_> = open_workbook(path)
        .map_err(|e| data_err!("{name}: cannot read as an Excel workbook (.xlsx): {e}"))?;
    let names = book.sheet_names();
    let chosen = match sheet {
        Some(wanted) => names
            .iter()
            .find(|n| n.as_str() == wanted)
            .or_else(|| names.iter().find(|n| n.eq_ignore_ascii_case(wanted)))
            .ok_or_else(|| {
                CxmError::Usage(format!(
                    "{name}: --sheet {wanted}: no such sheet (sheets: {})",
                    names.join(", ")
                ))
            })?
            .clone(),
        None => names
            .first()
            .ok_or_else(|| data_err!("{name}: the workbook has no sheets"))?
            .clone(),
    };
    let range = book
        .worksheet_range(&chosen)
        .map_err(|e| data_err!("{name}[{chosen}]: cannot read the sheet: {e}"))?;
    let label = format!("{name}[{chosen}]");
    let Some((first_row, _)) = range.start() else {
        return Err(data_err!("{label}: the sheet is empty (no header row)"));
    };
    let header_row;
    let mut tmp = crate::cleanup::temp_file_in(&std::env::temp_dir(), "cxm-input-", ".csv", 0o600)
        .map_err(|e| CxmError::Internal(format!("cannot create a temporary file: {e}")))?;
    {
        let mut writer = csv::WriterBuilder::new()
            .flexible(true)
            .from_writer(std::io::BufWriter::new(&mut tmp));
        let mut cells: Vec<String> = Vec::new();
        let rows: Vec<&[Data]> = range.rows().collect();
        let (header, end) = table_rows(&rows);
        header_row = u64::from(first_row) + header as u64 + 1;
        for row in &rows[header..end] {
            cells.clear();
            cells.extend(row.iter().map(text));
            // Trailing empty cells are not fields (a sheet's range is as wide as its
            // widest row), but a row keeps at least one field so rows stay rows.
            while cells.len() > 1 && cells.last().is_some_and(String::is_empty) {
                cells.pop();
            }
            writer
                .write_record(&cells)
                .map_err(|e| CxmError::Internal(format!("{label}: cannot copy: {e}")))?;
        }
        writer
            .flush()
            .map_err(|e| CxmError::Internal(format!("{label}: cannot copy: {e}")))?;
    }
    Ok(Source::spooled(
        label,
        tmp,
        FileFormat::Csv,
        Some(header_row),
    ))
}

/// The rows that form the table: from the header, the first row with two or more
/// cells (a report's title above it is a single cell), to the end, less a footer
/// (single-cell rows after a blank row, such as Zammad's `Timezone: …`).
fn table_rows(rows: &[&[Data]]) -> (usize, usize) {
    let filled = |row: &[Data]| row.iter().filter(|c| !matches!(c, Data::Empty)).count();
    let header = rows.iter().position(|r| filled(r) >= 2).unwrap_or(0);
    let last_wide = rows
        .iter()
        .rposition(|r| filled(r) >= 2)
        .unwrap_or(rows.len());
    let from = (last_wide + 1).min(rows.len());
    let tail = &rows[from..];
    let end = match tail.iter().rposition(|r| filled(r) == 0) {
        Some(k) if k + 1 < tail.len() && tail[k + 1..].iter().all(|r| filled(r) <= 1) => from + k,
        _ => rows.len(),
    };
    (header, end.max(header))
}

/// A cell as an export's text.
fn text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number(*f),
        Data::Bool(b) => b.to_string(),
        Data::Error(e) => e.to_string(),
        Data::DateTime(d) if d.is_duration() || d.as_f64() < 1.0 => match d.as_duration() {
            Some(span) => duration(span.num_milliseconds()),
            None => number(d.as_f64()),
        },
        Data::DateTime(d) => match d.as_datetime() {
            Some(t) if t.and_utc().timestamp_subsec_millis() == 0 => {
                t.format("%Y-%m-%d %H:%M:%S").to_string()
            }
            Some(t) => t.format("%Y-%m-%d %H:%M:%S%.3f").to_string(),
            None => number(d.as_f64()),
        },
    }
}

/// A float as a person would type it: whole numbers without a decimal point.
fn number(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

/// Milliseconds as `H:MM:SS` (`.mmm` when there are some).
fn duration(ms: i64) -> String {
    let sign = if ms < 0 { "-" } else { "" };
    let ms = ms.unsigned_abs();
    let (h, m, s, rest) = (ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
    match rest {
        0 => format!("{sign}{h}:{m:02}:{s:02}"),
        _ => format!("{sign}{h}:{m:02}:{s:02}.{rest:03}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_and_footers_are_not_rows() {
        let s = |v: &str| Data::String(v.into());
        let title = [s("-all- (Created)"), Data::Empty];
        let blank = [Data::Empty, Data::Empty];
        let header = [s("#"), s("Title")];
        let row = [s("1"), s("a")];
        let one = [s("2"), Data::Empty];
        let footer = [s("Timezone: UTC"), Data::Empty];
        let rows: Vec<&[Data]> = vec![&title, &blank, &header, &row, &one, &blank, &footer];
        assert_eq!(table_rows(&rows), (2, 5));
        // Without a blank row before it, a short last row is data.
        let rows: Vec<&[Data]> = vec![&header, &row, &one];
        assert_eq!(table_rows(&rows), (0, 3));
    }

    #[test]
    fn cells_read_as_an_export_writes_them() {
        assert_eq!(text(&Data::Float(5.0)), "5");
        assert_eq!(text(&Data::Float(4.25)), "4.25");
        assert_eq!(text(&Data::Bool(true)), "true");
        assert_eq!(duration(3_600_000 + 5 * 60_000 + 7_000), "1:05:07");
        assert_eq!(duration(100 * 3_600_000), "100:00:00");
        assert_eq!(duration(1_500), "0:00:01.500");
    }
}
