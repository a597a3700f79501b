//! Loading: the only place that reads input files and calls polars' CSV reader.
//!
//! [`Input::open`] resolves the sources, reads each header, maps columns to canonical
//! fields and checks that every file maps the same ones. [`Input::scan`] then builds
//! one lazy scan over all files that reads only the requested columns, as strings,
//! renamed to their canonical names (parsing is the metrics' business, so that a bad
//! value can be counted instead of failing the read). [`Input::map_blocks`] yields the
//! same rows a block of records at a time, on every core (see [`blocks`]).

pub mod blocks;
pub mod decimal;
pub mod excel;
pub mod fields;
pub mod filter;
pub mod iso;
pub mod join;
pub mod keys;
pub mod missing;
pub mod parquet;
pub mod preset;
pub mod records;
pub mod source;
pub mod split;
mod text;
pub mod timestamp;

use std::collections::BTreeMap;

use chrono_tz::Tz;
use polars::prelude::*;

use crate::data_err;
use crate::error::Result;
use crate::request::Sources;
use fields::{Field, Kind, Mapping};
use preset::Preset;
use source::{FileFormat, Sniffed, Source};
use timestamp::{Detected, Order, TsFormat};

/// Name of the record-number column added for locating rejects.
pub const ROW_INDEX: &str = "__row";

/// Column [`Input::scan_numbered`] adds: the index of the row's file in `files`.
pub const FILE_INDEX: &str = "__file";

/// The column holding the first field beyond the header (a ragged row).
pub const EXTRA: &str = "(fields beyond the header)";

/// Flag column: this row has more fields than the header.
pub const RAGGED: &str = "__ragged";

/// The longest record read, in bytes: 64 MiB, or `CXM_MAX_RECORD_MB` MiB. A longer
/// one (a file with no line ends, `/dev/zero`, a gzip bomb) stops the run with exit 3
/// instead of growing memory or a spool without bound.
pub fn max_record_bytes() -> usize {
    static LIMIT: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *LIMIT.get_or_init(|| {
        std::env::var("CXM_MAX_RECORD_MB")
            .ok()
            .and_then(|v| v.trim().parse::<usize>().ok())
            .filter(|&mb| mb > 0)
            .map_or(64 << 20, |mb| mb.saturating_mul(1 << 20))
    })
}

/// The error for a record over [`max_record_bytes`] that starts on `line`.
pub fn record_too_long(line: u64) -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::InvalidData,
        format!(
            "line {line}: a record longer than {} MiB (no line end found); set CXM_MAX_RECORD_MB to allow longer records",
            max_record_bytes() >> 20
        ),
    )
}

/// Rows of a Parquet file read at a time.
const PARQUET_SLICE: usize = 1 << 18;

/// Rows read per file to detect formats.
const SAMPLE_ROWS: usize = 2000;

/// The timestamp format of each timestamp field of one file.
pub type Formats = BTreeMap<&'static str, TsFormat>;

/// How a dataset's rows are made ready for its metrics: `file` runs on the rows of
/// file `i` (parsing, which follows that file's own formats), `all` on the rows of
/// every file together (what compares rows, such as marking duplicates).
pub struct Prepare<'a> {
    pub file: &'a (dyn Fn(usize, LazyFrame) -> LazyFrame + Sync),
    pub all: &'a (dyn Fn(LazyFrame) -> LazyFrame + Sync),
}

impl<'a> Prepare<'a> {
    /// A step for each file's rows, nothing over all of them.
    pub fn each_file(file: &'a (dyn Fn(usize, LazyFrame) -> LazyFrame + Sync)) -> Prepare<'a> {
        Prepare { file, all: &same }
    }
}

fn same(lf: LazyFrame) -> LazyFrame {
    lf
}

/// One input file with its header and mapping.
#[derive(Debug)]
pub struct InputFile {
    pub source: Source,
    pub sniffed: Sniffed,
    pub mapping: Mapping,
    /// `--where`, bound to this file's columns.
    pub filter: filter::FileFilter,
    /// The preset that mapped it, and whether it was detected rather than asked for.
    pub preset: Option<(&'static Preset, bool)>,
    /// Its number fields written with a decimal comma ([`decimal`]).
    pub decimal_comma: Vec<&'static str>,
}

/// All input files of one dataset, mapped to canonical fields.
#[derive(Debug)]
pub struct Input {
    pub files: Vec<InputFile>,
    pub fields: &'static [Field],
    pub tz: Tz,
    date_format: Option<String>,
    /// Missing-value markers, read as blank cells.
    pub markers: std::sync::Arc<missing::Markers>,
    /// `--where` conditions left out because these files lack their column (with
    /// [`Sources::filters_where_present`]).
    pub filters_skipped: Vec<String>,
}

impl Input {
    /// Id columns whose sampled values a spreadsheet rewrote in scientific notation
    /// (`1.03006E+13`, as Excel shows a long number): such ids have lost digits, so
    /// distinct tickets or customers merge. One warning per column.
    pub fn mangled_ids(&self) -> Vec<String> {
        let scientific = |v: &str| {
            let v = v.trim();
            let Some((mantissa, exponent)) = v.split_once(['E', 'e']) else {
                return false;
            };
            let exponent = exponent.strip_prefix('+').unwrap_or(exponent);
            let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
            let whole_or_point = match mantissa.split_once('.') {
                Some((a, b)) => digits(a) && digits(b),
                None => digits(mantissa),
            };
            whole_or_point && digits(exponent)
        };
        let mut out = Vec::new();
        for (i, file) in self.files.iter().enumerate() {
            for field in ["ticket_id", "customer_id", "response_id", "message_id"] {
                let Some(column) = file.mapping.get(field) else {
                    continue;
                };
                let values = self.file_sample(i, field);
                let odd: Vec<&String> = values.iter().filter(|v| scientific(v)).collect();
                if let Some(example) = odd.first() {
                    out.push(format!(
                        "{}: column '{column}' ({field}): {} of the first {} values look like numbers a spreadsheet rewrote in scientific notation (e.g. '{example}'): such ids have lost digits, so distinct ones merge; export the ids as text",
                        file.source.name,
                        odd.len(),
                        values.len()
                    ));
                }
            }
        }
        out
    }

    /// Is `value`, a cell of `field` (or of an unmapped column: `""`), missing: blank,
    /// or a marker (`NA`, `N/A`, `--na`), as the metric commands read it?
    pub fn is_missing(&self, field: &str, value: &str) -> bool {
        self.markers.is_missing(value, self.reads_numbers(field))
    }

    /// Does `field` hold numbers, where a `NaN` is a bad value rather than a blank
    /// (counts and money; survey scores, which may also be labels)?
    fn reads_numbers(&self, field: &str) -> bool {
        matches!(field, "score" | "csat" | "ces" | "nps")
            || self
                .fields
                .iter()
                .any(|d| d.name == field && d.kind == Kind::Number)
    }

    /// Resolve, sniff and map every input. Missing required fields are exit-3 errors.
    pub fn open(args: &Sources, fields: &'static [Field], tz: Tz) -> Result<Input> {
        Self::open_with(args, fields, tz, true)
    }

    /// [`Input::open`], optionally without failing on a missing required field
    /// (`inspect` lists it as a problem instead).
    pub fn open_with(
        args: &Sources,
        fields: &'static [Field],
        tz: Tz,
        require: bool,
    ) -> Result<Input> {
        let sources = source::resolve_with(&args.paths, args.encoding, args.sheet.as_deref())?;
        Self::open_sources(sources, args, fields, tz, require)
    }

    /// [`Input::open_with`] of sources already resolved (stdin can be read once).
    pub fn open_sources(
        sources: Vec<Source>,
        args: &Sources,
        fields: &'static [Field],
        tz: Tz,
        require: bool,
    ) -> Result<Input> {
        let mut files = Vec::with_capacity(sources.len());
        for source in sources {
            let mut sniffed = source::sniff(&source, args.delimiter, SAMPLE_ROWS)?;
            let preset = choose_preset(&args.presets, fields, &sniffed.headers);
            // An export's extra header rows (question texts, import ids) are not data.
            let extra = preset.map_or(0, |(p, _)| {
                (p.header_rows)(&sniffed.headers, &sniffed.sample)
            });
            let source = if extra > 0 {
                let skipped = source::without_records(source, sniffed.delimiter, extra)?;
                sniffed = source::sniff(&skipped, Some(sniffed.delimiter), SAMPLE_ROWS)?;
                skipped
            } else {
                source
            };
            let mapping =
                map_with_preset(&source.name, &sniffed.headers, fields, &args.map, preset)?;
            if require {
                fields::check_unambiguous(&source.name, &sniffed.headers, &mapping)?;
            }
            if let Some(f) = fields
                .iter()
                .find(|f| require && f.required && !mapping.has(f.name))
            {
                return Err(fields::missing_field(
                    &source.name,
                    f.name,
                    &sniffed.headers,
                ));
            }
            let decimal_comma = fields
                .iter()
                .filter(|f| f.kind == Kind::Number)
                .filter(|f| {
                    let Some(k) = mapping
                        .get(f.name)
                        .and_then(|c| sniffed.headers.iter().position(|h| h == c))
                    else {
                        return false;
                    };
                    let values: Vec<&str> =
                        sniffed.sample.iter().filter_map(|r| r.get(k)).collect();
                    decimal::writes_decimal_comma(&values)
                })
                .map(|f| f.name)
                .collect();
            files.push(InputFile {
                source,
                sniffed,
                mapping,
                filter: filter::FileFilter::default(),
                preset,
                decimal_comma,
            });
        }
        if let Some((first, rest)) = files.split_first() {
            let want: Vec<&&str> = first.mapping.columns.keys().collect();
            for other in rest {
                let got: Vec<&&str> = other.mapping.columns.keys().collect();
                if got != want {
                    return Err(data_err!(
                        "{} maps to fields [{}] but {} maps to [{}]: concatenated files must map to the same fields",
                        first.source.name,
                        join(&want),
                        other.source.name,
                        join(&got)
                    ));
                }
            }
        }
        let mut input = Input {
            files,
            fields,
            tz,
            date_format: args.date_format.clone(),
            markers: std::sync::Arc::new(missing::Markers::new(&args.na)),
            filters_skipped: Vec::new(),
        };
        input.bind_filters(args)?;
        Ok(input)
    }

    /// Bind each `--where` condition to every file's column for it: a mapped field's
    /// column, else a raw column in any case. A condition some file cannot read is an
    /// error, or skipped (and listed) when the request allows it.
    fn bind_filters(&mut self, args: &Sources) -> Result<()> {
        for condition in &args.filters {
            let mut bound = Vec::with_capacity(self.files.len());
            for file in &self.files {
                let column = match file.mapping.get(&condition.column) {
                    Some(c) => Some(c.to_string()),
                    None => Self::file_raw_header(file, &condition.column, "--where")?,
                };
                bound.push(column);
            }
            if bound.iter().any(Option::is_none) {
                if args.filters_where_present {
                    self.filters_skipped.push(condition.text.clone());
                    continue;
                }
                let file = bound
                    .iter()
                    .position(Option::is_none)
                    .map_or(&self.files[0], |i| &self.files[i]);
                return Err(data_err!(
                    "{}: --where {}: no field or column '{}' (headers found: {})",
                    file.source.name,
                    condition.text,
                    condition.column,
                    crate::text::headers_shown(&file.sniffed.headers)
                ));
            }
            let shared = std::sync::Arc::new(condition.clone());
            for (file, column) in self.files.iter_mut().zip(bound) {
                if let Some(column) = column {
                    file.filter.tests.push((shared.clone(), column));
                }
            }
        }
        Ok(())
    }

    /// Does any file drop rows by `--where`?
    pub fn is_filtered(&self) -> bool {
        self.files.iter().any(|f| !f.filter.tests.is_empty())
    }

    /// The mapping (the same fields in every file; column names may differ).
    pub fn mapping(&self) -> &Mapping {
        &self.files[0].mapping
    }

    /// Is this canonical field mapped?
    pub fn has(&self, field: &str) -> bool {
        self.mapping().has(field)
    }

    /// A `--by` name: a mapped canonical field keeps its canonical name; otherwise it
    /// must be a raw column present in every file.
    pub fn group_column(&self, name: &str) -> Result<GroupColumn> {
        if self.has(name) {
            return Ok(GroupColumn::Field(self.field(name)?));
        }
        if let Some(header) = self.raw_header(name)? {
            return Ok(GroupColumn::Raw(header));
        }
        let file = self
            .files
            .iter()
            .find(|f| header_like(&f.sniffed.headers, name).is_empty())
            .unwrap_or(&self.files[0]);
        let canonical = self.fields.iter().any(|f| f.name == name);
        let hint = if canonical {
            format!("; map it with --map {name}=COLUMN")
        } else {
            String::new()
        };
        Err(data_err!(
            "{}: --by {name}: no such field or column (headers found: {}){hint}",
            file.source.name,
            crate::text::headers_shown(&file.sniffed.headers)
        ))
    }

    /// The raw column every file has under `name`, in any case (as the files spell
    /// it); None when some file has none. Two headers that differ only in case are an
    /// error: which one was meant cannot be told.
    fn raw_header(&self, name: &str) -> Result<Option<String>> {
        let mut found: Option<String> = None;
        for file in &self.files {
            let Some(header) = Self::file_raw_header(file, name, "--by")? else {
                return Ok(None);
            };
            match &found {
                Some(f) if *f != header => {
                    return Err(crate::usage_err!(
                        "--by {name}: the files spell the column differently ('{f}', '{header}')"
                    ))
                }
                _ => found = Some(header),
            }
        }
        Ok(found)
    }

    /// The raw column of `file` under `name`, in any case (for `flag`'s messages).
    fn file_raw_header(file: &InputFile, name: &str, flag: &str) -> Result<Option<String>> {
        let exact = file.sniffed.headers.iter().any(|h| h == name);
        let like = header_like(&file.sniffed.headers, name);
        Ok(match (exact, like.as_slice()) {
            (true, _) => Some(name.to_string()),
            (false, [one]) => Some(one.to_string()),
            (false, []) => None,
            (false, several) => {
                return Err(crate::usage_err!(
                "{}: {flag} {name}: several columns match in case ({}); give the exact spelling",
                file.source.name,
                several.join(", ")
            ))
            }
        })
    }

    /// [`Input::group_column`] for each `--by` name.
    pub fn group_columns(&self, by: &[String]) -> Result<Vec<GroupColumn>> {
        by.iter().map(|b| self.group_column(b)).collect()
    }

    /// Is `name` a mapped canonical field, or a raw column of every file (in any case)?
    pub fn has_column(&self, name: &str) -> bool {
        self.has(name) || matches!(self.raw_header(name), Ok(Some(_)))
    }

    /// The sampled values of a mapped field, across files.
    pub fn sample_column(&self, field: &str) -> Vec<String> {
        (0..self.files.len())
            .flat_map(|i| self.file_sample(i, field))
            .collect()
    }

    fn field(&self, name: &str) -> Result<&'static str> {
        self.fields
            .iter()
            .find(|f| f.name == name)
            .map(|f| f.name)
            .ok_or_else(|| data_err!("unknown field '{name}'"))
    }

    /// A lazy scan of all files: the mapped `fields` (renamed to canonical names) and
    /// the raw `columns`, every value a string, empty cells null.
    pub fn scan(&self, fields: &[&str], columns: &[String]) -> Result<LazyFrame> {
        let mut frames = (0..self.files.len())
            .map(|i| self.scan_file(i, fields, columns, false))
            .collect::<Result<Vec<_>>>()?;
        if frames.len() == 1 {
            return frames.pop().ok_or_else(|| data_err!("no input"));
        }
        in_order(frames)
    }

    /// [`Input::scan`] made ready by `prepare`: each file's rows by its own step, then
    /// all of them together.
    pub fn scan_prepared(
        &self,
        fields: &[&str],
        columns: &[String],
        prepare: &Prepare,
    ) -> Result<LazyFrame> {
        self.scan_each(fields, columns, prepare, false)
    }

    /// [`Input::scan_prepared`], each row numbered within its file ([`ROW_INDEX`]) and
    /// carrying its file's index ([`FILE_INDEX`]).
    pub fn scan_numbered(
        &self,
        fields: &[&str],
        columns: &[String],
        prepare: &Prepare,
    ) -> Result<LazyFrame> {
        self.scan_each(fields, columns, prepare, true)
    }

    fn scan_each(
        &self,
        fields: &[&str],
        columns: &[String],
        prepare: &Prepare,
        numbered: bool,
    ) -> Result<LazyFrame> {
        let frames = (0..self.files.len())
            .map(|i| {
                let mut scan = self.scan_file(i, fields, columns, numbered)?;
                if numbered {
                    scan = scan.with_column(lit(i as u32).alias(FILE_INDEX));
                }
                Ok((prepare.file)(i, scan))
            })
            .collect::<Result<Vec<_>>>()?;
        Ok((prepare.all)(in_order(frames)?))
    }

    /// The scan of one file; with `row_index`, a [`ROW_INDEX`] column numbers its
    /// data records from 0.
    pub fn scan_file(
        &self,
        i: usize,
        fields: &[&str],
        columns: &[String],
        row_index: bool,
    ) -> Result<LazyFrame> {
        let file = &self.files[i];
        let mut lf = match file.source.format {
            FileFormat::Csv => scan_csv(&file.source, &file.sniffed)?,
            FileFormat::Parquet => {
                parquet::scan(&file.source, &self.read_columns(i, fields, columns))?
            }
        };
        if row_index {
            lf = lf.with_row_index(ROW_INDEX, None);
        }
        Ok(self.shape(lf, i, fields, columns, row_index))
    }

    /// Run `work` on the rows of every file, a block of records at a time on every
    /// core (see [`blocks`]); each block's frame is what [`Input::scan`] holds for its
    /// rows, given with the index of its file. The results come in file and block
    /// order; an input without data rows still gives one (empty) frame.
    pub fn map_blocks<T: Send>(
        &self,
        fields: &[&str],
        columns: &[String],
        work: impl Fn(usize, LazyFrame) -> Result<T> + Sync,
    ) -> Result<Vec<T>> {
        self.map_blocks_of(blocks::BLOCK, Rows::Kept, fields, columns, |i, _, lf| {
            work(i, lf)
        })
    }

    /// [`Input::map_blocks`], `work` also told the block's place among all the blocks
    /// of all the files in order (0, 1, …): the same for the same input every time,
    /// whatever the columns read, so that passes can number rows alike.
    pub fn map_blocks_indexed<T: Send>(
        &self,
        fields: &[&str],
        columns: &[String],
        work: impl Fn(usize, usize, LazyFrame) -> Result<T> + Sync,
    ) -> Result<Vec<T>> {
        self.map_blocks_of(blocks::BLOCK, Rows::Kept, fields, columns, work)
    }

    /// The rows `--where` leaves out (blank rows aside), for `-v`.
    pub fn count_filtered(&self, fields: &[&str], columns: &[String]) -> Result<u64> {
        if !self.is_filtered() {
            return Ok(0);
        }
        let counts = self.map_blocks_of(
            blocks::BLOCK,
            Rows::FilteredOut,
            fields,
            columns,
            |_, _, lf| {
                let n = lf
                    .select([len().cast(DataType::UInt64).alias("n")])
                    .collect()?;
                Ok(n.column("n")?.u64()?.get(0).unwrap_or(0))
            },
        )?;
        Ok(counts.iter().sum())
    }

    /// What [`Input::scan`] reads, read at once by [`Input::map_blocks`] (after
    /// `each`, applied to every block).
    pub fn read(
        &self,
        fields: &[&str],
        columns: &[String],
        each: impl Fn(LazyFrame) -> LazyFrame + Sync,
    ) -> Result<LazyFrame> {
        let frames = self.map_blocks(fields, columns, |_, lf| Ok(each(lf).collect()?.lazy()))?;
        in_order(frames)
    }

    /// [`Input::map_blocks`] with blocks of about `size` bytes.
    fn map_blocks_of<T: Send>(
        &self,
        size: usize,
        rows: Rows,
        fields: &[&str],
        columns: &[String],
        work: impl Fn(usize, usize, LazyFrame) -> Result<T> + Sync,
    ) -> Result<Vec<T>> {
        let layouts: Vec<blocks::Layout> = (0..self.files.len())
            .map(|i| self.layout(i, fields, columns))
            .collect();
        let block_frame = |i: usize, block: Vec<u8>| -> Result<LazyFrame> {
            let file = &self.files[i];
            let raw = match blocks::plain_frame(&block, &layouts[i]) {
                Some(df) => df.lazy(),
                None => csv_options(
                    LazyCsvReader::new_with_sources(ScanSources::Buffers(
                        [polars_buffer::Buffer::from(block)].into(),
                    )),
                    &file.sniffed,
                )
                .with_has_header(false)
                .finish()
                .map_err(|e| data_err!("{}: cannot read as CSV: {e}", file.source.name))?,
            };
            Ok(self.shape_rows(raw, i, fields, columns, false, rows))
        };
        // Files in order, each in blocks: CSV by the block reader on every core,
        // Parquet in slices of rows.
        let mut out = Vec::new();
        for (i, file) in self.files.iter().enumerate() {
            match file.source.format {
                FileFormat::Csv => {
                    let path = [(file.source.path.as_path(), file.source.name.as_str())];
                    // The blocks of the files before this one come first.
                    let before = out.len();
                    out.extend(blocks::map_blocks(&path, size, |_, seq, block| {
                        work(i, before + seq, block_frame(i, block)?)
                            .map_err(|e| self.locate_read_error(i, e))
                    })?);
                }
                FileFormat::Parquet => {
                    let read = self.read_columns(i, fields, columns);
                    let scan = parquet::scan(&file.source, &read)?;
                    let total = parquet::count_rows(&file.source)?;
                    let step = PARQUET_SLICE.max(1);
                    let mut offset = 0u64;
                    while offset < total {
                        let slice = scan.clone().slice(offset as i64, step as IdxSize);
                        let lf = self.shape_rows(
                            slice.collect()?.lazy(),
                            i,
                            fields,
                            columns,
                            false,
                            rows,
                        );
                        out.push(work(i, out.len(), lf)?);
                        offset += step as u64;
                    }
                }
            }
        }
        if out.is_empty() {
            let empty = match self.files[0].source.format {
                FileFormat::Csv => block_frame(0, Vec::new())?,
                FileFormat::Parquet => {
                    let read = self.read_columns(0, fields, columns);
                    let none = parquet::scan(&self.files[0].source, &read)?.limit(0);
                    self.shape_rows(none, 0, fields, columns, false, rows)
                }
            };
            out.push(work(0, 0, empty)?);
        }
        Ok(out)
    }

    /// A block of file `i` could not be read: say where, when the cause is one a
    /// reader cannot recover from (an unterminated quote, bytes that are not UTF-8).
    /// The file is read again for that, on this error path only.
    fn locate_read_error(&self, i: usize, e: crate::error::CxmError) -> crate::error::CxmError {
        let crate::error::CxmError::Data(message) = &e else {
            return e;
        };
        let source = &self.files[i].source;
        let name = &source.name;
        if let Ok(Some(line)) = records::unterminated_quote(&source.path) {
            return data_err!("{name}:{line}: a quote opened on this line is never closed");
        }
        if let Ok(Some(line)) = records::first_invalid_utf8(&source.path) {
            return data_err!(
                "{name}:{line}: bytes that are not valid UTF-8; give --encoding latin1 if the file is Latin-1 (ISO-8859-1), or re-save it as UTF-8"
            );
        }
        if message.starts_with(name.as_str()) {
            e
        } else {
            data_err!("{name}: {message}")
        }
    }

    /// Which columns of file `i`'s schema the scan of `fields` and `columns` reads.
    fn layout(&self, i: usize, fields: &[&str], columns: &[String]) -> blocks::Layout {
        let file = &self.files[i];
        let schema = csv_schema(&file.sniffed);
        let mut names: Vec<&str> = fields.iter().filter_map(|f| file.mapping.get(f)).collect();
        names.extend(columns.iter().map(String::as_str));
        names.extend(file.filter.columns());
        names.push(EXTRA);
        let mut wanted: Vec<(usize, PlSmallStr)> = names
            .iter()
            .filter_map(|n| schema.index_of(n).map(|i| (i, PlSmallStr::from(*n))))
            .collect();
        wanted.sort();
        wanted.dedup();
        blocks::Layout {
            delimiter: file.sniffed.delimiter,
            width: schema.len(),
            wanted,
        }
    }

    /// The columns of a raw scan of file `i` renamed to canonical `fields` (plus the raw
    /// `columns`, [`EXTRA`] and [`RAGGED`]), without the rows that hold nothing.
    /// The columns of file `i` that [`Input::shape`] reads for `fields` and `columns`.
    fn read_columns<'a>(
        &'a self,
        i: usize,
        fields: &[&str],
        columns: &'a [String],
    ) -> Vec<&'a str> {
        let file = &self.files[i];
        let mapped = fields.iter().filter_map(|f| file.mapping.get(f));
        let named = columns.iter().map(String::as_str);
        mapped.chain(named).chain(file.filter.columns()).collect()
    }

    fn shape(
        &self,
        lf: LazyFrame,
        i: usize,
        fields: &[&str],
        columns: &[String],
        row_index: bool,
    ) -> LazyFrame {
        self.shape_rows(lf, i, fields, columns, row_index, Rows::Kept)
    }

    /// [`Input::shape`], keeping the rows `--where` keeps, or only those it leaves out.
    fn shape_rows(
        &self,
        lf: LazyFrame,
        i: usize,
        fields: &[&str],
        columns: &[String],
        row_index: bool,
        rows: Rows,
    ) -> LazyFrame {
        let file = &self.files[i];
        let lf = match (file.filter.keeps(&self.markers), rows) {
            (Some(keeps), Rows::Kept) => lf.filter(keeps),
            (Some(keeps), Rows::FilteredOut) => lf.filter(keeps.not()),
            (None, Rows::Kept) => lf,
            (None, Rows::FilteredOut) => lf.limit(0),
        };
        let mut select: Vec<Expr> = Vec::new();
        if row_index {
            select.push(col(ROW_INDEX));
        }
        for &f in fields {
            if let Some(col_name) = file.mapping.get(f) {
                let mut cell = self.markers.clear(col(col_name), self.reads_numbers(f));
                if file.decimal_comma.contains(&f) {
                    cell = decimal::rewritten(cell);
                }
                select.push(cell.alias(f));
            }
        }
        for c in columns {
            select.push(self.markers.clear(col(c.as_str()), false).alias(c.as_str()));
        }
        // A row with nothing in any column read (a blank line, `,,,`) is not data.
        let any_value = fields
            .iter()
            .filter(|f| file.mapping.has(f))
            .map(|f| col(*f))
            .chain(columns.iter().map(|c| col(c.as_str())))
            .map(|e| e.is_not_null())
            .reduce(|a, b| a.or(b))
            .unwrap_or(lit(true));
        select.push(col(EXTRA));
        select.push(col(EXTRA).is_not_null().alias(RAGGED));
        let any_value = any_value.or(col(EXTRA).is_not_null());
        lf.select(select).filter(any_value)
    }

    /// For each file, the timestamp format of each mapped timestamp field among
    /// `wanted`. Each file is read on its own: concatenated exports from two systems
    /// may write dates differently.
    pub fn timestamp_formats(&self, wanted: &[&str]) -> Result<Vec<Formats>> {
        (0..self.files.len())
            .map(|i| self.file_timestamp_formats(i, wanted))
            .collect()
    }

    /// [`Input::timestamp_formats`] of file `i`.
    fn file_timestamp_formats(&self, i: usize, wanted: &[&str]) -> Result<Formats> {
        let mut out = BTreeMap::new();
        let ts_fields: Vec<&'static str> = self
            .fields
            .iter()
            .filter(|f| f.kind == Kind::Timestamp && wanted.contains(&f.name) && self.has(f.name))
            .map(|f| f.name)
            .collect();
        if let Some(user) = &self.date_format {
            let format = TsFormat::user(user);
            for f in ts_fields {
                // A format that reads none of the sampled values would reject every
                // row, and report zeros: the same stop as when nothing is detected.
                let values = self.file_sample(i, f);
                let filled: Vec<&str> = values
                    .iter()
                    .map(|v| v.trim())
                    .filter(|v| !v.is_empty())
                    .collect();
                if let Some(example) = filled
                    .first()
                    .filter(|_| !filled.iter().any(|v| format.parses(v)))
                {
                    return Err(data_err!(
                        "{}: column '{}' ({f}): --date-format '{user}' reads none of its values, e.g. '{example}'",
                        self.files[i].source.name,
                        self.files[i].mapping.get(f).unwrap_or(f),
                    ));
                }
                out.insert(f, format.clone());
            }
            return Ok(out);
        }
        let mut detected: Vec<(&'static str, Detected)> = Vec::new();
        for &f in &ts_fields {
            let values = self.file_sample(i, f);
            let refs: Vec<&str> = values.iter().map(String::as_str).collect();
            let d = timestamp::detect(&refs);
            if d == Detected::Unknown {
                let example = refs
                    .iter()
                    .find(|v| !v.trim().is_empty())
                    .copied()
                    .unwrap_or("");
                // A value running over lines: more likely a quote never closed than
                // a date no format fits.
                let source = &self.files[i].source;
                if example.contains('\n') {
                    if let Ok(Some(line)) = records::unterminated_quote(&source.path) {
                        return Err(data_err!(
                            "{}:{line}: a quote opened on this line is never closed",
                            source.name
                        ));
                    }
                }
                return Err(data_err!(
                    "{}: column '{}' ({f}): no known timestamp format fits values like '{example}'; give --date-format",
                    self.files[i].source.name,
                    self.files[i].mapping.get(f).unwrap_or(f),
                ));
            }
            detected.push((f, d));
        }
        // Day/month order is a property of the file: every date-like column has a say.
        let others = self.other_date_columns(i, &ts_fields);
        let mut votes: Vec<&Detected> = detected.iter().map(|(_, d)| d).collect();
        votes.extend(others.iter());
        let order = match timestamp::decide_order(&votes) {
            Some(o) => o,
            None => self.order_from_full_scan(i, &detected)?,
        };
        let mut empty = Vec::new();
        for (f, d) in detected {
            match d {
                Detected::Formats(fmts, _) => {
                    let mut chosen = fmts
                        .iter()
                        .find(|t| t.order == order || t.order == Order::Unambiguous)
                        .unwrap_or(&fmts[0])
                        .clone();
                    // Times the export writes in UTC, without saying so.
                    if chosen.zone == timestamp::Zone::Local
                        && self.files[i].preset.is_some_and(|(p, _)| p.times_utc)
                    {
                        chosen.zone = timestamp::Zone::Utc;
                    }
                    out.insert(f, chosen);
                }
                _ => empty.push(f),
            }
        }
        // A column empty in the sample (no ticket resolved yet in a newest-first
        // export) is most likely written as the file's other dates are.
        let sibling = out.values().next().cloned();
        for f in empty {
            let format = sibling.clone();
            out.insert(
                f,
                format.unwrap_or_else(|| TsFormat::user("%Y-%m-%dT%H:%M:%S%.fZ")),
            );
        }
        Ok(out)
    }

    /// Sample values of a mapped field in file `i`.
    fn file_sample(&self, i: usize, field: &str) -> Vec<String> {
        let file = &self.files[i];
        let Some(name) = file.mapping.get(field) else {
            return Vec::new();
        };
        let Some(k) = file.sniffed.headers.iter().position(|h| h == name) else {
            return Vec::new();
        };
        let number = self.reads_numbers(field);
        // A marker reads as a blank cell, as it will when the rows are parsed.
        file.sniffed
            .sample
            .iter()
            .filter_map(|r| r.get(k))
            .map(|v| match self.markers.is_missing(v, number) {
                true => String::new(),
                false => v.to_string(),
            })
            .collect()
    }

    /// Detections for the unmapped columns of file `i` that look like numeric dates.
    fn other_date_columns(&self, i: usize, mapped: &[&str]) -> Vec<Detected> {
        let file = &self.files[i];
        let mapped_cols: Vec<&str> = mapped.iter().filter_map(|f| file.mapping.get(f)).collect();
        let mut out = Vec::new();
        for (k, h) in file.sniffed.headers.iter().enumerate() {
            if mapped_cols.contains(&h.as_str()) {
                continue;
            }
            let values: Vec<&str> = file
                .sniffed
                .sample
                .iter()
                .filter_map(|r| r.get(k))
                .collect();
            if values
                .iter()
                .any(|v| v.contains('/') || v.contains('-') || v.contains('.'))
            {
                if let d @ Detected::Formats(..) = timestamp::detect(&values) {
                    out.push(d);
                }
            }
        }
        out
    }

    /// The sample could not tell day/month order: count, over every row of file `i`,
    /// the values that read only one way.
    fn order_from_full_scan(
        &self,
        i: usize,
        detected: &[(&'static str, Detected)],
    ) -> Result<Order> {
        let mut exprs = Vec::new();
        let mut example = String::new();
        let mut patterns = String::new();
        for (f, d) in detected {
            let Detected::Formats(fmts, _) = d else {
                continue;
            };
            let month = fmts.iter().find(|t| t.order == Order::MonthFirst);
            let day = fmts.iter().find(|t| t.order == Order::DayFirst);
            if let (Some(m), Some(dd)) = (month, day) {
                let pm = m.to_epoch_ms(col(*f), Tz::UTC);
                let pd = dd.to_epoch_ms(col(*f), Tz::UTC);
                exprs.push(
                    (pm.clone().is_not_null().and(pd.clone().is_null()))
                        .sum()
                        .alias(format!("m_{f}")),
                );
                exprs.push(
                    (pd.is_not_null().and(pm.is_null()))
                        .sum()
                        .alias(format!("d_{f}")),
                );
                if example.is_empty() {
                    example = format!(
                        "{} like '{}'",
                        self.files[i].mapping.get(f).unwrap_or(f),
                        self.example_value(i, f)
                    );
                    // The two readings of this column's own shape (a date alone too).
                    patterns = format!("'{}' or '{}'", dd.pattern, m.pattern);
                }
            }
        }
        if exprs.is_empty() {
            // Only columns cxm does not read are ambiguous: nothing to decide.
            return Ok(Order::Unambiguous);
        }
        let fields: Vec<&str> = detected.iter().map(|(f, _)| *f).collect();
        let counts = self
            .scan_file(i, &fields, &[], false)?
            .select(exprs)
            .collect()?;
        let total = |prefix: &str| -> u64 {
            counts
                .columns()
                .iter()
                .filter(|c| c.name().starts_with(prefix))
                .filter_map(|c| c.as_materialized_series().sum::<u64>().ok())
                .sum()
        };
        let (m, d) = (total("m_"), total("d_"));
        match (m > 0, d > 0) {
            (true, false) => Ok(Order::MonthFirst),
            (false, true) => Ok(Order::DayFirst),
            _ => Err(data_err!(
                "{}: day/month order is ambiguous: every date (e.g. {example}) reads both as day-first and as month-first; \
                 give --date-format, e.g. {patterns}",
                self.files[i].source.name
            )),
        }
    }

    fn example_value(&self, i: usize, field: &str) -> String {
        self.file_sample(i, field)
            .into_iter()
            .find(|v| !v.trim().is_empty())
            .unwrap_or_default()
    }

    /// Where record `index` (from 0) of file `i` is, as a person finds it: the line it
    /// starts on (CSV, where a quoted field may span lines), or its row number from 1
    /// (Parquet; see [`Input::by_row`]).
    pub fn location(&self, i: usize, index: u64) -> Result<u64> {
        let source = &self.files[i].source;
        if let Some(header) = source.sheet_row {
            return Ok(header + 1 + index);
        }
        match source.format {
            FileFormat::Parquet => Ok(index + 1),
            FileFormat::Csv => {
                let mut found = 0;
                records::visit(
                    &source.path,
                    index,
                    |k| k == index,
                    |_, line, _| found = line,
                )
                .map_err(|e| data_err!("{}: cannot read: {e}", source.name))?;
                Ok(found + source.line_offset)
            }
        }
    }

    /// Are file `i`'s locations row numbers rather than lines?
    pub fn by_row(&self, i: usize) -> bool {
        self.files[i].source.format == FileFormat::Parquet
            || self.files[i].source.sheet_row.is_some()
    }

    /// Call `visit(index, location, cells)` for each record of file `i` whose index
    /// (from 0) `wanted` holds, in order: its own cells, under the file's headers.
    pub fn visit_records(
        &self,
        i: usize,
        wanted: &std::collections::BTreeSet<u64>,
        mut visit: impl FnMut(u64, u64, Vec<String>),
    ) -> Result<()> {
        let file = &self.files[i];
        let Some(&last) = wanted.iter().next_back() else {
            return Ok(());
        };
        match file.source.format {
            FileFormat::Csv => records::visit(
                &file.source.path,
                last,
                |k| wanted.contains(&k),
                |index, line, bytes| {
                    let line = file
                        .source
                        .sheet_row
                        .map_or(line + file.source.line_offset, |h| h + 1 + index);
                    let mut fields = csv::ReaderBuilder::new()
                        .delimiter(file.sniffed.delimiter)
                        .has_headers(false)
                        .flexible(true)
                        .from_reader(bytes);
                    let cells = match fields.byte_records().next() {
                        Some(Ok(record)) => record
                            .iter()
                            .map(|c| String::from_utf8_lossy(c).into_owned())
                            .collect(),
                        _ => Vec::new(),
                    };
                    visit(index, line, cells);
                },
            )
            .map_err(|e| data_err!("{}: cannot read: {e}", file.source.name)),
            FileFormat::Parquet => {
                let rows: Vec<IdxSize> = wanted.iter().map(|&k| k as IdxSize).collect();
                let df = parquet::scan(&file.source, &[])?
                    .with_row_index(ROW_INDEX, None)
                    .filter(
                        col(ROW_INDEX)
                            .is_in(lit(Series::new("rows".into(), rows)).implode(false), false),
                    )
                    .collect()?;
                let index = df.column(ROW_INDEX)?.cast(&DataType::UInt64)?;
                let cells = parquet::rows(&df, &file.sniffed.headers)?;
                for (k, row) in index.u64()?.iter().zip(cells) {
                    if let Some(k) = k {
                        visit(k, k + 1, row);
                    }
                }
                Ok(())
            }
        }
    }

    /// Total number of data rows in all files (a full scan of one column).
    pub fn count_rows(&self) -> Result<u64> {
        let mut total = 0u64;
        for file in &self.files {
            total += match file.source.format {
                FileFormat::Csv => blocks::count_records(&file.source.path)
                    .map_err(|e| data_err!("{}: cannot read: {e}", file.source.name))?,
                FileFormat::Parquet => parquet::count_rows(&file.source)?,
            };
        }
        Ok(total)
    }
}

/// Which rows a read gives: those `--where` keeps (every read but one), or those it
/// leaves out (counted for `-v`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rows {
    Kept,
    FilteredOut,
}

/// A `--by` column: a canonical field or a raw column name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GroupColumn {
    Field(&'static str),
    Raw(String),
}

impl GroupColumn {
    /// The column's name in the scanned frame and in the output.
    pub fn name(&self) -> &str {
        match self {
            GroupColumn::Field(f) => f,
            GroupColumn::Raw(r) => r,
        }
    }
}

/// The files' scans one after another, in the order given.
fn in_order(frames: Vec<LazyFrame>) -> Result<LazyFrame> {
    Ok(concat(
        frames,
        UnionArgs {
            parallel: true,
            rechunk: false,
            ..Default::default()
        },
    )?)
}

/// Add the columns `groups` read to a scan's canonical `fields` and raw `columns`.
pub fn add_group_columns(
    groups: &[GroupColumn],
    fields: &mut Vec<&'static str>,
    columns: &mut Vec<String>,
) {
    for g in groups {
        match g {
            GroupColumn::Field(f) if !fields.contains(f) => fields.push(f),
            GroupColumn::Raw(r) if !columns.contains(r) => columns.push(r.clone()),
            _ => {}
        }
    }
}

/// The preset for a file of `fields`: the one asked for (`--preset`) whose dataset
/// reads these fields, else the one its headers match unambiguously.
fn choose_preset(
    asked: &[String],
    fields: &'static [Field],
    headers: &[String],
) -> Option<(&'static Preset, bool)> {
    let reads_these = |p: &Preset| p.dataset.reads(fields);
    if let Some(p) = asked
        .iter()
        .filter_map(|n| preset::find(n))
        .find(|p| reads_these(p))
    {
        return Some((p, false));
    }
    preset::PRESETS
        .iter()
        .filter(|p| reads_these(p))
        .find_map(|p| preset::detect(headers, p.dataset))
        .map(|p| (p, true))
}

/// [`fields::map_headers`] with a preset's pairs after the user's `--map` (which wins)
/// and its ignored columns hidden from automatic matching.
fn map_with_preset(
    file: &str,
    headers: &[String],
    fields: &'static [Field],
    user: &[(String, String)],
    preset: Option<(&'static Preset, bool)>,
) -> Result<Mapping> {
    let Some((preset, _)) = preset else {
        return fields::map_headers(file, headers, fields, user);
    };
    let mut pairs = user.to_vec();
    for (field, column) in preset.pairs(headers) {
        if !pairs.iter().any(|(f, _)| *f == field) {
            pairs.push((field, column));
        }
    }
    // Hidden from automatic matching only: a column the user maps stays visible.
    let visible: Vec<String> = headers
        .iter()
        .filter(|h| {
            preset.visible(std::slice::from_ref(h)).len() == 1
                || user
                    .iter()
                    .any(|(_, c)| c == *h || c.trim().eq_ignore_ascii_case(h.trim()))
        })
        .cloned()
        .collect();
    let mut mapping = fields::map_headers(file, &visible, fields, &pairs)?;
    mapping
        .explicit
        .retain(|f| user.iter().any(|(u, _)| u == f));
    Ok(mapping)
}

fn join(v: &[&&str]) -> String {
    v.iter().map(|s| **s).collect::<Vec<_>>().join(", ")
}

/// Polars' lazy CSV scan of one file, every column a string, blank cells null. The
/// schema is the sniffed header (BOM removed, repeated names made unique) plus one
/// [`EXTRA`] column that holds the first field beyond the header, so a row with too
/// many fields is a value to reject rather than a read error.
fn scan_csv(src: &Source, sniffed: &Sniffed) -> Result<LazyFrame> {
    let path = src.path.to_string_lossy().to_string();
    csv_options(LazyCsvReader::new(PlRefPath::new(path)), sniffed)
        .with_has_header(true)
        .finish()
        .map_err(|e| data_err!("{}: cannot read as CSV: {e}", src.name))
}

/// The sniffed header (BOM removed, repeated names made unique), every column a
/// string, plus [`EXTRA`].
fn csv_schema(sniffed: &Sniffed) -> Schema {
    let mut schema = Schema::default();
    for (i, h) in sniffed.headers.iter().enumerate() {
        let name = if schema.contains(h) {
            format!("{h}__{i}")
        } else {
            h.clone()
        };
        schema.with_column(name.into(), DataType::String);
    }
    schema.with_column(EXTRA.into(), DataType::String);
    schema
}

/// The reader options of every scan (see [`scan_csv`]).
fn csv_options(reader: LazyCsvReader, sniffed: &Sniffed) -> LazyCsvReader {
    reader
        .with_schema(Some(std::sync::Arc::new(csv_schema(sniffed))))
        .with_truncate_ragged_lines(true)
        .with_separator(sniffed.delimiter)
        .with_infer_schema_length(Some(0))
        .with_missing_is_null(true)
        .with_null_values(Some(NullValues::AllColumns(vec![
            "".into(),
            "null".into(),
            "NULL".into(),
        ])))
}

/// The headers equal to `name` but for ASCII case.
fn header_like<'a>(headers: &'a [String], name: &str) -> Vec<&'a str> {
    headers
        .iter()
        .filter(|h| h.eq_ignore_ascii_case(name))
        .map(String::as_str)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn piece() -> impl Strategy<Value = Vec<u8>> {
        prop_oneof![
            20 => Just(b",".to_vec()),
            5 => Just(b";".to_vec()),
            5 => Just(b"\t".to_vec()),
            10 => Just(b"\n".to_vec()),
            3 => Just(b"\r\n".to_vec()),
            1 => Just(b"\r".to_vec()),
            2 => Just(b"\"".to_vec()),
            1 => Just(b"\"\"".to_vec()),
            2 => Just(b"null".to_vec()),
            1 => Just(b"NULL".to_vec()),
            2 => Just(b" ".to_vec()),
            5 => Just(b"2025-03-03T09:00:00Z".to_vec()),
            2 => Just("é".as_bytes().to_vec()),
            // Not UTF-8: rare, or nearly every file would be refused when sniffed.
            1 => Just(vec![0xE9]),
            30 => "[a-z0-9]{1,5}".prop_map(String::into_bytes),
        ]
    }

    /// A header (after an optional byte-order mark or blank lines), then random pieces.
    fn text() -> impl Strategy<Value = Vec<u8>> {
        (
            prop_oneof![
                Just(&b""[..]),
                Just(&b"\xEF\xBB\xBF"[..]),
                Just(&b"\n\r\n"[..])
            ],
            prop_oneof![
                Just("ticket_id,created_at,team"),
                Just("ticket_id;created_at;team;x"),
                Just("ticket_id\tcreated_at\tx"),
                Just("\"ticket_id\",created_at,\"te\nam\",team"),
                // Columns not read, after the last one read: passed over.
                Just("ticket_id,notes,team,y,z"),
            ],
            prop_oneof![Just("\n"), Just("\r\n")],
            proptest::collection::vec(piece(), 0..200),
        )
            .prop_map(|(before, header, end, pieces)| {
                let mut text = before.to_vec();
                text.extend_from_slice(header.as_bytes());
                text.extend_from_slice(end.as_bytes());
                text.extend(pieces.concat());
                text
            })
    }

    fn args(paths: Vec<std::path::PathBuf>) -> Sources {
        Sources {
            paths,
            ..Sources::default()
        }
    }

    /// The rows of every file as [`Input::scan`] reads them, and as the blocks of
    /// [`Input::map_blocks_of`] do (both `None` on a read error).
    fn both_ways(
        paths: Vec<std::path::PathBuf>,
        block: usize,
    ) -> Option<(Option<DataFrame>, Option<DataFrame>)> {
        let input = Input::open_with(&args(paths), fields::TICKET_FIELDS, Tz::UTC, false).ok()?;
        let fields: Vec<&str> = fields::TICKET_FIELDS
            .iter()
            .map(|f| f.name)
            .filter(|f| input.has(f))
            .collect();
        let raw: Vec<String> = ["x"]
            .iter()
            .filter(|c| input.has_column(c))
            .map(|c| c.to_string())
            .collect();
        let scan = input
            .scan(&fields, &raw)
            .and_then(|lf| Ok(lf.collect()?))
            .ok();
        let blocks = input
            .map_blocks_of(block, Rows::Kept, &fields, &raw, |_, _, lf| {
                Ok(lf.collect()?)
            })
            .ok()
            .and_then(|frames| {
                let mut frames = frames.into_iter();
                let mut all = frames.next()?;
                for f in frames {
                    all.vstack_mut(&f).ok()?;
                }
                Some(all)
            });
        Some((scan, blocks))
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(256),
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        /// Blocks of any size, with or without quotes, hold what polars' scan holds.
        #[test]
        fn blocks_hold_what_the_scan_holds(text in text(), block in 1usize..40) {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("a.csv");
            std::fs::write(&path, &text).unwrap();
            // The record count of `-v` equals polars' count of the same file.
            if let Ok(input) = Input::open_with(&args(vec![path.clone()]), fields::TICKET_FIELDS, Tz::UTC, false) {
                let file = &input.files[0];
                let polars_count = scan_csv(&file.source, &file.sniffed)
                    .and_then(|lf| Ok(lf.select([len().alias("n")]).collect()?))
                    .ok()
                    .and_then(|df| df.column("n").ok()?.as_materialized_series().sum::<u64>().ok());
                if let Some(want) = polars_count {
                    prop_assert_eq!(blocks::count_records(&file.source.path).ok(), Some(want), "{:?}", String::from_utf8_lossy(&text));
                }
            }
            if let Some((scan, blocks)) = both_ways(vec![path], block) {
                match (scan, blocks) {
                    (Some(a), Some(b)) => prop_assert!(
                        a.equals_missing(&b),
                        "{:?}\nscan: {:?}\nblocks: {:?}",
                        String::from_utf8_lossy(&text),
                        a.columns(),
                        b.columns()
                    ),
                    (None, None) => {}
                    (a, b) => prop_assert!(
                        false,
                        "{:?}\nscan: {:?}\nblocks: {:?}",
                        String::from_utf8_lossy(&text),
                        a.map(|a| a.columns().to_vec()),
                        b.map(|b| b.columns().to_vec())
                    ),
                }
            }
        }
    }

    /// Worked by hand: the second file's rows follow the first's; a quoted newline
    /// spans a block boundary; `\r\n` ends records; the ragged row keeps its extra field.
    #[test]
    fn blocks_of_two_files_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.csv");
        let b = dir.path().join("b.csv");
        std::fs::write(&a, "ticket_id,team\r\nT1,\"sup\nport\"\r\nT2,,extra\r\n").unwrap();
        std::fs::write(&b, "ticket_id,team\nT3,billing\n\nT4\n").unwrap();
        for block in [1, 5, 1 << 20] {
            let (scan, blocks) = both_ways(vec![a.clone(), b.clone()], block).unwrap();
            let (scan, blocks) = (scan.unwrap(), blocks.unwrap());
            assert!(scan.equals_missing(&blocks), "{scan}\n{blocks}");
            let strings = |c: &str| -> Vec<Option<String>> {
                blocks
                    .column(c)
                    .unwrap()
                    .str()
                    .unwrap()
                    .iter()
                    .map(|v| v.map(str::to_string))
                    .collect()
            };
            let s = |v: &str| Some(v.to_string());
            assert_eq!(strings("ticket_id"), [s("T1"), s("T2"), s("T3"), s("T4")]);
            assert_eq!(strings("team"), [s("sup\nport"), None, s("billing"), None]);
            assert_eq!(strings(EXTRA), [None, s("extra"), None, None]);
        }
    }
}
