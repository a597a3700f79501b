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

/// Does the workbook at `path` have a sheet named `wanted` (in any case, as `--sheet`
/// finds it)? `None` for a file that is no workbook cxm opens.
pub fn has_sheet(path: &Path, wanted: &str) -> Option<bool> {
    // By its content, whatever its name (not a gzip's or a stream's).
    let name = path.to_string_lossy().to_ascii_lowercase();
    if name.ends_with(".gz") || !path.is_file() {
        return None;
    }
    let book: Xlsx<_> = open_workbook(path).ok()?;
    let wanted = wanted.to_lowercase();
    Some(
        book.sheet_names()
            .iter()
            .any(|n| n.to_lowercase() == wanted),
    )
}

/// A sheet copied in this run: the workbook as named and as it was then (size,
/// modification time), the sheet asked for, and its copy.
type Copied = (
    (String, u64, Option<std::time::SystemTime>, Option<String>),
    Source,
);

/// The sheets copied in this run. `report DIR` reads a workbook's header to tell
/// its kind, then its rows for the section, and a ticket export's own CSAT again as
/// survey responses: a sheet of 200k rows was parsed three times.
static COPIED: std::sync::Mutex<Vec<Copied>> = std::sync::Mutex::new(Vec::new());

fn copied() -> std::sync::MutexGuard<'static, Vec<Copied>> {
    COPIED.lock().unwrap_or_else(|p| p.into_inner())
}

/// Let the copies go (their temporary files removed) at the end of a run.
pub fn forget_copies() {
    copied().clear();
}

/// Copy one sheet of the workbook at `path` into a CSV spool, once a run.
pub fn spool(path: &Path, name: &str, sheet: Option<&str>) -> Result<Source> {
    let meta = std::fs::metadata(path).ok();
    let key = (
        name.to_string(),
        meta.as_ref().map_or(0, |m| m.len()),
        meta.and_then(|m| m.modified().ok()),
        sheet.map(str::to_string),
    );
    if let Some((_, source)) = copied().iter().find(|(k, _)| *k == key) {
        return Ok(source.clone());
    }
    let source = copy_sheet(path, name, sheet)?;
    copied().push((key, source.clone()));
    Ok(source)
}

/// Sheet names as a list, a hidden sheet and a chart sheet marked as such: a name the
/// user does not see in Excel, or one with no table, is not taken for the data.
fn described_sheets(metadata: &[calamine::Sheet], names: &[&String]) -> String {
    let described = names.iter().map(|name| described_sheet(metadata, name));
    described.collect::<Vec<_>>().join(", ")
}

/// A sheet's name in a list: quoted when it would not read as one name there (a
/// comma, a parenthesis, spaces at an end), and marked when hidden or a chart.
fn described_sheet(metadata: &[calamine::Sheet], name: &str) -> String {
    let sheet = metadata.iter().find(|s| s.name == name);
    let hidden = sheet.is_some_and(|s| s.visible != calamine::SheetVisible::Visible);
    let chart = sheet.is_some_and(|s| s.typ == calamine::SheetType::ChartSheet);
    let plain = !name.is_empty()
        && name.trim() == name
        && !name.contains([',', '(', ')', '\'', '"'])
        && !name.chars().any(char::is_control);
    let shown = match plain {
        true => name.to_string(),
        false => format!("'{}'", crate::text::printable(&name.replace('\'', "''"))),
    };
    match (hidden, chart) {
        (true, true) => format!("{shown} (hidden, a chart)"),
        (true, false) => format!("{shown} (hidden)"),
        (false, true) => format!("{shown} (a chart)"),
        (false, false) => shown,
    }
}

fn copy_sheet(path: &Path, name: &str, sheet: Option<&str>) -> Result<Source> {
    let mut book: Xlsx<_> = open_workbook(path)
        .map_err(|e| data_err!("{name}: cannot read as an Excel workbook (.xlsx): {e}"))?;
    let names = book.sheet_names();
    let metadata = book.sheets_metadata().to_vec();
    let listed = |names: &[&String]| described_sheets(&metadata, names);
    let asked = sheet.is_some();
    let chosen = match sheet {
        Some(wanted) => names
            .iter()
            .find(|n| n.as_str() == wanted)
            // In any case, as Excel matches names (`DONNÉES` is `Données`).
            .or_else(|| {
                names
                    .iter()
                    .find(|n| n.to_lowercase() == wanted.to_lowercase())
            })
            .ok_or_else(|| {
                CxmError::Usage(format!(
                    "{name}: --sheet {wanted}: no such sheet (sheets: {})",
                    listed(&names.iter().collect::<Vec<_>>())
                ))
            })?
            .clone(),
        // The first worksheet Excel shows: a hidden one before it, or a chart, is no
        // table of the export's.
        None => (book.sheets_metadata().iter())
            .find(|s| {
                s.visible == calamine::SheetVisible::Visible
                    && s.typ == calamine::SheetType::WorkSheet
            })
            .map(|s| s.name.clone())
            // None shown: the first worksheet, hidden, rather than a chart.
            .or_else(|| {
                (metadata.iter())
                    .find(|s| s.typ == calamine::SheetType::WorkSheet)
                    .map(|s| s.name.clone())
            })
            .or_else(|| names.first().cloned())
            .ok_or_else(|| data_err!("{name}: the workbook has no sheets"))?,
    };
    let hidden_first = !asked
        && (metadata.iter())
            .any(|s| s.name == chosen && s.visible != calamine::SheetVisible::Visible);
    let label = format!("{name}[{chosen}]");
    let (cells, unsaved) = sheet_cells(&mut book, &chosen)
        .map_err(|e| data_err!("{label}: cannot read the sheet: {e}"))?;
    let others: Vec<&String> = names.iter().filter(|n| **n != chosen).collect();
    let chart = (book.sheets_metadata().iter())
        .any(|s| s.name == chosen && s.typ == calamine::SheetType::ChartSheet);
    let empty = match chart {
        true => "a chart sheet, no table",
        false => "the sheet is empty (no header row)",
    };
    let sheet = Sheet::of(cells).ok_or_else(|| match (asked, others.is_empty()) {
        (false, false) => data_err!(
            "{label}: {empty}; the workbook's other sheets: {} (give --sheet NAME, or save it as a file of its own)",
            listed(&others)
        ),
        _ => data_err!("{label}: {empty}"),
    })?;
    let (header, end) = table_rows(&sheet.filled);
    // Single cells below a blank row are a footer only as a CSV's padded lines are:
    // at most three, each a label and its value (`Timezone: Europe/Berlin`) or words
    // of a date or a count, not rows whose other cells are blank (a score alone, an
    // id alone, a survey's answer of words), which are read and judged.
    // A cell right of the header's last column names no column: no value either.
    let header_width = sheet.width_of(header) as u32;
    let footer: Vec<(bool, String)> = (end..sheet.filled.len())
        .filter(|&r| sheet.filled[r] > 0)
        .flat_map(|r| {
            sheet
                .row(r)
                .map(|(c, cell)| (c - sheet.first_column >= header_width, text(cell)))
        })
        .collect();
    let is_footer = footer.len() <= super::around::FOOTERS
        && (footer.iter()).all(|(beyond, t)| *beyond || super::around::reads_as_cell_footer(t));
    let footer: Vec<String> = footer.into_iter().map(|(_, t)| t).collect();
    let end = if is_footer { end } else { sheet.filled.len() };
    let header_row = u64::from(sheet.first_row) + header as u64 + 1;
    let merged = merged_over(&mut book, &chosen, &sheet, (header, end), &label);
    // A row is as wide as the header: a cell right of its last column has no column
    // name to be read by (an unnamed column, a note beside the table). Unlike a CSV
    // field past the header, it cannot be a shifted value: it is left out, and
    // warned of.
    let width = sheet.width_of(header);
    let comma = decimal_comma_columns(&sheet, (header, end), width);
    let mut unread: Option<(usize, u64, u32, String)> = None;
    let mut header_names: Vec<String> = Vec::new();
    let markers = super::missing::Markers::new(&[]);
    // Per column: holds a date cell, holds another value.
    let mut dates = vec![(false, false); width];
    // Per column: whole numbers past 10^15 in number cells, and the first.
    // Per column: whole numbers past 10^15 in number cells, how many of them could
    // not be a whole id as written (past 2^53, or zeros past the 15th digit), and the
    // first.
    let mut long = vec![(0usize, 0usize, String::new()); width];
    let mut tmp = crate::cleanup::temp_file_in(&std::env::temp_dir(), "cxm-input-", ".csv", 0o600)
        .map_err(|e| CxmError::Internal(format!("cannot create a temporary file: {e}")))?;
    {
        let mut writer = csv::WriterBuilder::new()
            .flexible(true)
            .from_writer(std::io::BufWriter::new(&mut tmp));
        let mut fields: Vec<String> = Vec::new();
        for row in header..end {
            fields.clear();
            for (column, cell) in sheet.row(row) {
                let at = (column - sheet.first_column) as usize;
                if let Some(seen) = dates.get_mut(at).filter(|_| row > header) {
                    match (is_date_cell(cell), cell) {
                        (true, _) => seen.0 = true,
                        (false, Data::Empty) => {}
                        // Blank, or `N/A` typed in for a ticket not resolved yet.
                        (false, Data::String(s)) if markers.is_missing(s) => {}
                        (false, _) => seen.1 = true,
                    }
                }
                if at >= width {
                    let value = text(cell);
                    if value.is_empty() {
                        continue;
                    }
                    let sheet_row = u64::from(sheet.first_row) + row as u64 + 1;
                    match &mut unread {
                        Some((n, ..)) => *n += 1,
                        None => unread = Some((1, sheet_row, column, value)),
                    }
                    continue;
                }
                if let (Some(seen), Data::Float(f)) = (long.get_mut(at), cell) {
                    if row > header && f.fract() == 0.0 && f.abs() >= 1e15 {
                        seen.0 += 1;
                        seen.1 += usize::from(cut_to_15_digits(*f));
                        if seen.0 == 1 {
                            seen.2 = number(*f);
                        }
                    }
                }
                fields.resize(at, String::new());
                fields.push(match cell {
                    // As the column's numbers typed in as text write them.
                    Data::Float(f) if comma[at] => number(*f).replace('.', ","),
                    _ => text(cell),
                });
            }
            // Trailing empty cells are not fields, but a row keeps at least one field
            // so that rows stay rows.
            while fields.len() > 1 && fields.last().is_some_and(String::is_empty) {
                fields.pop();
            }
            if fields.is_empty() {
                fields.push(String::new());
            }
            if row == header {
                header_names = fields.clone();
            }
            writer
                .write_record(&fields)
                .map_err(|e| CxmError::Internal(format!("{label}: cannot copy: {e}")))?;
        }
        writer
            .flush()
            .map_err(|e| CxmError::Internal(format!("{label}: cannot copy: {e}")))?;
    }
    let note = unread.map(|(n, row, column, value)| {
        let cells = if n == 1 { "cell" } else { "cells" };
        format!(
            "{label}: {n} {cells} right of the header's last column (without a column name) not read (first at row {row}, column {}: '{}')",
            column_letters(column),
            crate::text::value_shown(&value)
        )
    });
    // Read as they are (empty, or 0): said, since the workbook means a value there.
    let unsaved = unsaved.said(&label, computed_on_load(path));
    let note = [note, unsaved, merged]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>();
    let note = (!note.is_empty()).then(|| note.join("; "));
    let mut source = Source::spooled(label, tmp, FileFormat::Csv, Some(header_row));
    source.note = note;
    // Said where every such number looks cut: a column of exact 16-digit ids (a
    // script's) ends in other digits.
    source.long_numbers = (header_names.iter().zip(long))
        .filter(|(_, (n, cut, _))| *n > 0 && cut == n)
        .map(|(name, (n, _, first))| (name.clone(), n, first))
        .collect();
    source.typed_dates = (header_names.iter().zip(&dates))
        .filter(|(_, (date, _))| *date)
        .map(|(name, (_, other))| (name.clone(), !*other))
        .collect();
    // A title above the table: not data, said under -v. A footer is a guess from its
    // words: said whatever the verbosity, quoted, as a CSV's is.
    let above = (0..header).filter(|&r| sheet.filled[r] > 0).count();
    let rows = |n: usize| if n == 1 { "row" } else { "rows" };
    source.left_out = (above > 0).then(|| {
        format!(
            "{above} {} above the header (a title) not read",
            rows(above)
        )
    });
    if is_footer && !footer.is_empty() {
        let named = super::around::zone_named(&footer.join(" / "));
        source.footer_zone = named.clone().and_then(Result::ok);
        let warned = format!(
            "{}: {} {} below the table taken for a footer ('{}'), not read{}",
            source.name,
            footer.len(),
            rows(footer.len()),
            crate::text::value_shown(&footer.join(" / ")),
            super::around::zone_said(&named)
        );
        source.note = Some(match source.note.take() {
            Some(note) => format!("{note}; {warned}"),
            None => warned,
        });
    }
    if !asked {
        source.other_sheets = (names.iter())
            .filter(|n| **n != chosen)
            .map(|n| described_sheet(&metadata, n))
            .collect();
        let chart = |n: &String| {
            (metadata.iter()).any(|s| s.name == *n && s.typ == calamine::SheetType::ChartSheet)
        };
        // A sheet with no cell (Excel's default `Sheet2`) holds no table either.
        source.other_tables = (names.iter())
            .filter(|n| **n != chosen && !chart(n) && has_cells(&mut book, n))
            .map(|n| described_sheet(&metadata, n))
            .collect();
        // No worksheet shown: the first sheet is read, and said to be hidden.
        if hidden_first {
            let said = format!("{name}: the workbook shows no worksheet; its hidden sheet {} is read (give --sheet NAME for another)", described_sheet(&[], &chosen));
            source.note = Some(match source.note.take() {
                Some(note) => format!("{note}; {said}"),
                None => said,
            });
        }
    }
    Ok(source)
}

/// A column's letters as Excel names it (0 is `A`, 26 is `AA`).
fn column_letters(column: u32) -> String {
    let mut n = column as u64 + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

/// A cell's value at its (row, column).
type Placed = ((u32, u32), Data);

/// The sheet's cells that hold something, with their (row, column), in order. Read
/// cell by cell: a sheet's grid is as large as its farthest cell (`XFD1048576` is
/// legal), so it is never laid out whole.
/// Also the formula cells without a saved value (a workbook written by a program
/// that does not compute formulas): how many, and where the first is.
fn sheet_cells<RS: std::io::Read + std::io::Seek>(
    book: &mut Xlsx<RS>,
    sheet: &str,
) -> std::result::Result<(Vec<Placed>, Unsaved), calamine::XlsxError> {
    let mut reader = match book.worksheet_cells_reader(sheet) {
        Ok(reader) => reader,
        // A chart sheet: nothing to read.
        Err(calamine::XlsxError::NotAWorksheet(_)) => return Ok((Vec::new(), Unsaved::default())),
        Err(e) => return Err(e),
    };
    let mut cells = Vec::new();
    let mut unsaved = Unsaved::default();
    while let Some(cell) = reader.next_cell_with_formula_metadata()? {
        let value = Data::from(cell.value);
        if cell.formula.is_some() {
            let zero = matches!(value, Data::Float(f) if f == 0.0) || matches!(value, Data::Int(0));
            unsaved.formula(cell.pos, matches!(value, Data::Empty), zero);
        }
        if !matches!(value, Data::Empty) {
            cells.push((cell.pos, value));
        }
    }
    cells.sort_by_key(|(at, _)| *at);
    Ok((cells, unsaved))
}

/// Merged cells over the table's header or data cells (`rows`: its header and end, from the
/// sheet's first filled row; within the header's columns): Excel shows the value
/// across the merge, but it is held by the first cell alone, and the others read
/// empty (as pandas reads them). Said, naming the first; a blank merge, which reads
/// empty either way, is not.
fn merged_over<RS: std::io::Read + std::io::Seek>(
    book: &mut Xlsx<RS>,
    name: &str,
    sheet: &Sheet,
    (header, end): (usize, usize),
    label: &str,
) -> Option<String> {
    let regions = book.merge_cells_by_sheet_name(name).ok()?;
    let header_row = sheet.first_row + header as u32;
    let last_data = (sheet.first_row + end as u32).checked_sub(1)?;
    // The header's own columns: a note merged left of it is not the table's.
    let first_column = sheet.row(header).next()?.0;
    let last_column = sheet.row(header).last()?.0;
    let value_at = |at: (u32, u32)| {
        (sheet.cells.iter())
            .find(|(cell, _)| *cell == at)
            .map_or(String::new(), |(_, v)| text(v))
    };
    // A cell past the merge's first lies in the header or data rows and the header's
    // columns (a header merged across leaves a column without a name).
    let covers = |d: &calamine::Dimensions| {
        let rows = d.start.0.max(header_row)..=d.end.0.min(last_data);
        let columns = d.start.1.max(first_column)..=d.end.1.min(last_column);
        !rows.is_empty()
            && !columns.is_empty()
            && (*rows.end() > d.start.0 || *columns.end() > d.start.1)
    };
    let mut over: Vec<&calamine::Dimensions> = (regions.iter())
        .filter(|d| covers(d) && !value_at(d.start).is_empty())
        .collect();
    over.sort_by_key(|d| d.start);
    let first = over.first()?;
    let n = over.len();
    let (cells, run) = if n == 1 {
        ("cell covers", "its")
    } else {
        ("cells cover", "their")
    };
    let (rows, columns) = (
        first.end.0 - first.start.0 + 1,
        first.end.1 - first.start.1 + 1,
    );
    let span = match (rows, columns) {
        (r, 1) => format!("over {r} rows"),
        (1, c) => format!("over {c} columns"),
        (r, c) => format!("over {r} rows and {c} columns"),
    };
    Some(format!(
        "{label}: {n} merged {cells} the table's cells (first at row {}, column {}: '{}', {span}): {run} value is in the first cell only, and the others read empty; unmerge them and fill the value in to count it in each cell",
        first.start.0 + 1,
        column_letters(first.start.1),
        crate::text::value_shown(&value_at(first.start)),
    ))
}

/// Does a worksheet hold a cell with a value (read up to the first one)? One that
/// cannot be read is taken to.
fn has_cells<RS: std::io::Read + std::io::Seek>(book: &mut Xlsx<RS>, sheet: &str) -> bool {
    let Ok(mut reader) = book.worksheet_cells_reader(sheet) else {
        return true;
    };
    loop {
        match reader.next_cell() {
            Ok(Some(cell)) if !matches!(Data::from(cell.get_value().clone()), Data::Empty) => {
                return true
            }
            Ok(Some(_)) => continue,
            Ok(None) => return false,
            Err(_) => return true,
        }
    }
}

/// Does the workbook ask to be computed when opened (`fullCalcOnLoad` in its
/// `xl/workbook.xml`)? A program that does not compute formulas writes so.
fn computed_on_load(path: &Path) -> bool {
    use std::io::Read;
    let Ok(file) = std::fs::File::open(path) else {
        return false;
    };
    let Ok(mut archive) = zip::ZipArchive::new(file) else {
        return false;
    };
    let Ok(part) = archive.by_name("xl/workbook.xml") else {
        return false;
    };
    // The part is small (sheet names, defined names); read at most 16 MiB of it.
    let mut text = String::new();
    if part.take(16 << 20).read_to_string(&mut text).is_err() {
        return false;
    }
    text.contains("fullCalcOnLoad=\"1\"") || text.contains("fullCalcOnLoad=\"true\"")
}

/// Formula cells whose values were probably never computed: those without a saved
/// value, and whether every one with a value holds 0 (as xlsxwriter writes them).
#[derive(Default)]
struct Unsaved {
    /// How many hold no value, and the (row, column) of the first.
    empty: Option<(u64, (u32, u32))>,
    /// Formula cells with a value, those holding 0, and the first of them.
    valued: u64,
    zeros: Option<(u64, (u32, u32))>,
}

impl Unsaved {
    fn formula(&mut self, at: (u32, u32), empty: bool, zero: bool) {
        let count = |slot: &mut Option<(u64, (u32, u32))>| match slot {
            Some((n, first)) => {
                *n += 1;
                *first = (*first).min(at);
            }
            None => *slot = Some((1, at)),
        };
        if empty {
            count(&mut self.empty);
            return;
        }
        self.valued += 1;
        if zero {
            count(&mut self.zeros);
        }
    }

    /// The warning, naming `label`'s first such cell; formulas all at 0 only in a
    /// workbook that asks to be computed when opened (as xlsxwriter and openpyxl
    /// write theirs: Excel saves computed values without the flag).
    fn said(&self, label: &str, computed_on_load: bool) -> Option<String> {
        let advice = "open and save it in Excel or LibreOffice to compute them";
        if let Some((n, (row, column))) = self.empty {
            let (cells, hold) = if n == 1 {
                ("cell", "holds")
            } else {
                ("cells", "hold")
            };
            return Some(format!(
                "{label}: {n} formula {cells} {hold} no saved value (first at row {}, column {}), read as empty: the workbook was written by a program that does not compute formulas; {advice}",
                row + 1,
                column_letters(column)
            ));
        }
        // Every formula's value 0 (two or more): placeholders, as xlsxwriter writes.
        match self.zeros {
            Some((n, (row, column))) if n >= 2 && n == self.valued && computed_on_load => Some(format!(
                "{label}: all {n} formula cells hold 0 (first at row {}, column {}), as a program that does not compute formulas writes them (xlsxwriter): read as 0, their values are probably not computed; {advice}",
                row + 1,
                column_letters(column)
            )),
            _ => None,
        }
    }
}

/// A sheet's filled cells, by row.
struct Sheet {
    cells: Vec<Placed>,
    first_row: u32,
    first_column: u32,
    /// Per row from the first to the last filled one: its filled cells.
    filled: Vec<usize>,
    /// Per such row: where its cells start in `cells`.
    starts: Vec<usize>,
}

impl Sheet {
    fn of(cells: Vec<Placed>) -> Option<Sheet> {
        let first_row = cells.first()?.0 .0;
        let last_row = cells.last()?.0 .0;
        let first_column = cells.iter().map(|((_, c), _)| *c).min()?;
        let rows = (last_row - first_row) as usize + 1;
        let mut filled = vec![0; rows];
        for ((r, _), _) in &cells {
            filled[(r - first_row) as usize] += 1;
        }
        let mut starts = Vec::with_capacity(rows + 1);
        let mut at = 0;
        for n in &filled {
            starts.push(at);
            at += n;
        }
        starts.push(at);
        Some(Sheet {
            cells,
            first_row,
            first_column,
            filled,
            starts,
        })
    }

    /// Row `k`'s filled cells (from the first row), with their columns, left to right.
    fn row(&self, k: usize) -> impl Iterator<Item = (u32, &Data)> {
        self.cells[self.starts[k]..self.starts[k + 1]]
            .iter()
            .map(|((_, c), v)| (*c, v))
    }

    /// Fields of row `k`, to its last filled cell.
    fn width_of(&self, k: usize) -> usize {
        self.row(k)
            .last()
            .map_or(1, |(c, _)| (c - self.first_column) as usize + 1)
    }
}

/// The rows that form the table, from each row's count of filled cells: from the
/// header, the first row with two or more cells (a report's title above it is a
/// single cell), to the end, less a footer (single-cell rows after a blank row, such
/// as Zammad's `Timezone: …`).
fn table_rows(filled: &[usize]) -> (usize, usize) {
    let header = filled.iter().position(|&n| n >= 2).unwrap_or(0);
    let last_wide = filled.iter().rposition(|&n| n >= 2).unwrap_or(filled.len());
    let from = (last_wide + 1).min(filled.len());
    let tail = &filled[from..];
    let end = match tail.iter().rposition(|&n| n == 0) {
        Some(k) if k + 1 < tail.len() && tail[k + 1..].iter().all(|&n| n <= 1) => {
            // The footer's blank rows are not the table's either.
            let blanks = tail[..k].iter().rev().take_while(|&&n| n == 0).count();
            from + k - blanks
        }
        _ => filled.len(),
    };
    (header, end.max(header))
}

/// The columns (of `width`) whose numbers typed in as text write a decimal comma
/// (`1 200,50`, a French or German sheet's): their number cells are written so too,
/// so that the column reads one way (`29.5` beside them would say a decimal point).
/// Judged on the first 2,000 rows of the table, as a CSV's sample is.
fn decimal_comma_columns(sheet: &Sheet, (header, end): (usize, usize), width: usize) -> Vec<bool> {
    let mut texts: Vec<Vec<&str>> = vec![Vec::new(); width];
    for row in (header + 1..end).take(2000) {
        for (column, cell) in sheet.row(row) {
            let at = (column - sheet.first_column) as usize;
            if let (Some(column), Data::String(s)) = (texts.get_mut(at), cell) {
                column.push(s);
            }
        }
    }
    (texts.iter())
        .map(|t| !t.is_empty() && super::decimal::writes_decimal_comma(t))
        .collect()
}

/// Is the cell a date or a date and time (not a duration): an instant, written as
/// ISO text by [`text`]?
fn is_date_cell(cell: &Data) -> bool {
    match cell {
        Data::DateTimeIso(_) => true,
        Data::DateTime(d) => !(d.is_duration() || d.as_f64() < 1.0) && d.as_datetime().is_some(),
        _ => false,
    }
}

/// A cell as an export's text.
fn text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) | Data::DurationIso(s) => s.clone(),
        // An ISO date cell (`t="d"`), written as the other date cells are.
        Data::DateTimeIso(s) => {
            let time = chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f");
            let day = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d");
            match (time, day) {
                (Ok(t), _) if t.and_utc().timestamp_subsec_millis() == 0 => {
                    t.format("%Y-%m-%d %H:%M:%S").to_string()
                }
                (Ok(t), _) => t.format("%Y-%m-%d %H:%M:%S%.3f").to_string(),
                (_, Ok(d)) => d.format("%Y-%m-%d 00:00:00").to_string(),
                _ => s.clone(),
            }
        }
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

/// Could this whole number of 16 digits or more have lost digits: past 2^53, where a
/// float holds no longer every whole number, or with zeros past its 15th digit, as
/// Excel keeps it?
fn cut_to_15_digits(f: f64) -> bool {
    let n = f.abs();
    if n >= 9_007_199_254_740_992.0 {
        return true;
    }
    let digits = (n as u64).checked_ilog10().map_or(1, |d| d + 1);
    (n as u64).is_multiple_of(10u64.pow(digits.saturating_sub(15)))
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
    fn column_letters_as_excel_names_them() {
        let names: Vec<String> = [0, 25, 26, 51, 701, 702, 16383]
            .into_iter()
            .map(column_letters)
            .collect();
        assert_eq!(names, ["A", "Z", "AA", "AZ", "ZZ", "AAA", "XFD"]);
    }

    #[test]
    fn titles_and_footers_are_not_rows() {
        // Filled cells of: a title, a blank row, the header, a row, a row of one
        // cell, a blank row, a footer.
        assert_eq!(table_rows(&[1, 0, 2, 2, 1, 0, 1]), (2, 5));
        // Many blank rows before it are not rows of the table.
        assert_eq!(table_rows(&[2, 2, 0, 0, 0, 1]), (0, 2));
        // Without a blank row before it, a short last row is data.
        assert_eq!(table_rows(&[2, 2, 1]), (0, 3));
    }

    #[test]
    fn numbers_cut_to_15_digits() {
        assert!(cut_to_15_digits(123_456_789_012_345_000.0));
        assert!(cut_to_15_digits(1_234_567_890_123_450.0));
        assert!(!cut_to_15_digits(1_234_567_890_123_456.0));
        assert!(cut_to_15_digits(-1.2e19));
    }

    #[test]
    fn cells_read_as_an_export_writes_them() {
        assert_eq!(text(&Data::Float(5.0)), "5");
        assert_eq!(text(&Data::Float(4.25)), "4.25");
        assert_eq!(text(&Data::Bool(true)), "true");
        // ISO date cells as the other date cells are written.
        let iso = |s: &str| text(&Data::DateTimeIso(s.into()));
        assert_eq!(iso("2025-01-04T09:00:00"), "2025-01-04 09:00:00");
        assert_eq!(iso("2025-01-04T09:00:00.250"), "2025-01-04 09:00:00.250");
        assert_eq!(iso("2025-01-04"), "2025-01-04 00:00:00");
        assert_eq!(duration(3_600_000 + 5 * 60_000 + 7_000), "1:05:07");
        assert_eq!(duration(100 * 3_600_000), "100:00:00");
        assert_eq!(duration(1_500), "0:00:01.500");
    }
}
