//! Reading an [`Input`]'s rows: lazy scans of whole files, and the block pass the
//! engine runs on every core. Each file's or block's frame is shaped the same way:
//! fields under their canonical names, missing-value markers cleared, rows with
//! nothing in any column read dropped.

use polars::prelude::*;

use super::classes::{class_expr, Class};
use super::*;

impl Input {
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
            FileFormat::Csv => {
                self.refuse_runaway_quote(i)?;
                scan_csv(&file.source, &file.sniffed)?
            }
            FileFormat::Parquet => {
                let read = self.read_columns(i, fields, columns);
                parquet::scan(&file.source, &read)?.select(only(&read))
            }
        };
        if row_index {
            lf = lf.with_row_index(ROW_INDEX, None);
        }
        Ok(self.shape(lf, i, fields, columns, row_index))
    }

    /// A scan of a whole file (polars' own reader) reads the records inside a quote
    /// left open, up to a later field's quote, as part of one field without a word:
    /// such a file is refused, at the line the quote opened, as the block pass
    /// refuses it.
    fn refuse_runaway_quote(&self, i: usize) -> Result<()> {
        let file = &self.files[i];
        let (path, sniffed) = (&file.source.path, &file.sniffed);
        let found = *file.runaway_quote.get_or_init(|| {
            blocks::file_has_runaway_quote(path, sniffed.delimiter, sniffed.headers.len())
                .unwrap_or(false)
        });
        match found {
            true => Err(self.locate_read_error(i, runaway(&file.source.name))),
            false => Ok(()),
        }
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
        self.map_blocks_indexed(fields, columns, |i, _, lf| work(i, lf))
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
        self.map_blocks_of(
            blocks::BLOCK,
            Rows::Kept,
            fields,
            columns,
            (&[], false),
            work,
        )
    }

    /// [`Input::map_blocks_indexed`], the fields and columns that `classes` read
    /// given as their classes' columns instead of as texts (see [`classes`]); when
    /// `located`, each block's rows numbered within it ([`ROW_INDEX`], blank records
    /// included), which [`Input::record_index`] turns into the file's, to locate a
    /// row without reading the file again.
    pub fn map_blocks_classified<T: Send>(
        &self,
        fields: &[&str],
        columns: &[String],
        (classes, located): (&[Class], bool),
        work: impl Fn(usize, usize, LazyFrame) -> Result<T> + Sync,
    ) -> Result<Vec<T>> {
        self.map_blocks_of(
            blocks::BLOCK,
            Rows::Kept,
            fields,
            columns,
            (classes, located),
            work,
        )
    }

    /// The index in file `i` of record `row` of its block `block` (counted from the
    /// file's first, 0) in a located [`Input::map_blocks_classified`].
    pub fn record_index(&self, i: usize, block: usize, row: u64) -> Result<u64> {
        let source = &self.files[i].source;
        match source.format {
            FileFormat::Parquet => Ok(block as u64 * PARQUET_SLICE.max(1) as u64 + row),
            FileFormat::Csv => {
                let before = blocks::records_before(&source.path, blocks::BLOCK, block)
                    .map_err(|e| data_err!("{}: cannot read: {e}", source.name))?;
                Ok(before + row)
            }
        }
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
            (&[], false),
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
    pub(super) fn map_blocks_of<T: Send>(
        &self,
        size: usize,
        rows: Rows,
        fields: &[&str],
        columns: &[String],
        (classes, located): (&[Class], bool),
        work: impl Fn(usize, usize, LazyFrame) -> Result<T> + Sync,
    ) -> Result<Vec<T>> {
        let layouts: Vec<blocks::Layout> = (0..self.files.len())
            .map(|i| self.layout(i, fields, columns))
            .collect();
        let shaped = |raw: LazyFrame, i: usize| {
            let shape = Shape {
                row_index: located,
                rows,
                classes,
            };
            let raw = match located {
                true => raw.with_row_index(ROW_INDEX, None),
                false => raw,
            };
            self.shape_rows(raw, i, fields, columns, &shape)
        };
        let block_frame = |i: usize, block: blocks::Block| -> Result<LazyFrame> {
            let file = &self.files[i];
            // Only a file's last block can end inside quotes (the others are cut
            // after a record): a file cut short in a quoted cell, or a stray quote on
            // its last line, which polars would read to the end without a word when
            // no line end follows. Located below, as with one.
            if blocks::ends_inside_quotes(&block) {
                let unterminated = data_err!("{}: unterminated quote", file.source.name);
                return Err(self.locate_read_error(i, unterminated));
            }
            let raw = match blocks::plain_frame(&block, &layouts[i]) {
                Some(df) => df.lazy(),
                // Located below, as an unterminated quote is.
                None if blocks::runaway_quote(
                    &block,
                    file.sniffed.delimiter,
                    file.sniffed.headers.len(),
                ) =>
                {
                    return Err(self.locate_read_error(i, runaway(&file.source.name)));
                }
                None => csv_options(
                    LazyCsvReader::new_with_sources(ScanSources::Buffers(
                        [polars_buffer::Buffer::from_owner(block)].into(),
                    )),
                    &file.sniffed,
                )
                .with_has_header(false)
                .finish()
                .map_err(|e| data_err!("{}: cannot read as CSV: {e}", file.source.name))?,
            };
            Ok(shaped(raw, i))
        };
        // Files in order, each in blocks: CSV by the block reader on every core,
        // Parquet in slices of rows.
        let mut out = Vec::new();
        for (i, file) in self.files.iter().enumerate() {
            match file.source.format {
                FileFormat::Csv => {
                    let source = &file.source;
                    let path = [(
                        source.path.as_path(),
                        source.name.as_str(),
                        source.line_offset,
                    )];
                    // The blocks of the files before this one come first.
                    let before = out.len();
                    out.extend(blocks::map_blocks(&path, size, |_, seq, block| {
                        (block_frame(i, block).and_then(|lf| work(i, before + seq, lf)))
                            .map_err(|e| self.locate_read_error(i, e))
                    })?);
                }
                FileFormat::Parquet => {
                    let read = self.read_columns(i, fields, columns);
                    let scan = parquet::scan(&file.source, &read)?.select(only(&read));
                    let total = parquet::count_rows(&file.source)?;
                    let step = PARQUET_SLICE.max(1);
                    let mut offset = 0u64;
                    while offset < total {
                        let slice = scan.clone().slice(offset as i64, step as IdxSize);
                        let lf = shaped(parquet::collect(&file.source, slice)?.lazy(), i);
                        out.push(work(i, out.len(), lf)?);
                        offset += step as u64;
                    }
                }
            }
        }
        if out.is_empty() {
            let empty = match self.files[0].source.format {
                FileFormat::Csv => block_frame(0, blocks::Block::Read(Vec::new()))?,
                FileFormat::Parquet => {
                    let read = self.read_columns(0, fields, columns);
                    let none = parquet::scan(&self.files[0].source, &read)?.limit(0);
                    shaped(none, 0)
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
        let name = &self.files[i].source.name;
        if let Some(cause) = self.read_problem(i) {
            return data_err!("{cause}");
        }
        if message.starts_with(name.as_str()) {
            e
        } else {
            data_err!("{name}: {message}")
        }
    }

    /// A failure polars met in a scan of the files, which names none of them (`CSV
    /// malformed: expected 1 rows…` for a quote never closed): the first CSV file a
    /// reader cannot get past, at its line, when one is found.
    pub fn locate_failure(&self, e: crate::error::CxmError) -> crate::error::CxmError {
        let crate::error::CxmError::Data(message) = &e else {
            return e;
        };
        if !message.starts_with(crate::error::UNREAD) {
            return e;
        }
        // The file the reader could not get past: one with a quote never closed (a
        // harmless misplaced quote in an earlier file is no failure), else the first
        // with any cause a reader stumbles on.
        let csv: Vec<usize> = (0..self.files.len())
            .filter(|&i| self.files[i].source.format == FileFormat::Csv)
            .collect();
        let never_closed = |i: &&usize| {
            records::unterminated_quote(&self.files[**i].source.path).is_ok_and(|l| l.is_some())
        };
        let failed = csv.iter().find(never_closed);
        let ordered = failed
            .into_iter()
            .chain(csv.iter().filter(|i| Some(*i) != failed));
        for &i in ordered {
            if let Some(cause) = self.read_problem(i) {
                return data_err!("{cause}");
            }
        }
        e
    }

    /// [`records::read_problem`] of file `i`, at the original file's lines.
    fn read_problem(&self, i: usize) -> Option<String> {
        let (source, sniffed) = (&self.files[i].source, &self.files[i].sniffed);
        let (delimiter, headers) = (sniffed.delimiter, &sniffed.headers);
        records::read_problem(
            &source.path,
            &source.name,
            delimiter,
            headers,
            source.line_offset,
        )
    }

    /// Which columns of file `i`'s schema the scan of `fields` and `columns` reads.
    fn layout(&self, i: usize, fields: &[&str], columns: &[String]) -> blocks::Layout {
        let file = &self.files[i];
        let schema = csv_schema(&file.sniffed);
        let mut names: Vec<&str> = fields.iter().filter_map(|f| file.mapping.get(f)).collect();
        names.extend(columns.iter().map(|c| self.own_spelling(i, c)));
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

    /// The column of file `i` that `class` reads: its field's, or its raw column, when
    /// the scan reads it (`None`: not read, no classes).
    fn class_column<'a>(
        &'a self,
        i: usize,
        class: &'a Class,
        fields: &[&str],
        columns: &[String],
    ) -> Option<&'a str> {
        if fields.contains(&class.read.as_str()) {
            return self.files[i].mapping.get(&class.read);
        }
        (columns.contains(&class.read)).then(|| self.own_spelling(i, &class.read))
    }

    /// The columns of file `i` that [`Input::shape`] reads for `fields` and `columns`.
    fn read_columns<'a>(
        &'a self,
        i: usize,
        fields: &[&str],
        columns: &'a [String],
    ) -> Vec<&'a str> {
        let file = &self.files[i];
        let mapped = fields.iter().filter_map(|f| file.mapping.get(f));
        let named = columns.iter().map(|c| self.own_spelling(i, c));
        mapped.chain(named).chain(file.filter.columns()).collect()
    }

    /// Does some file rewrite `field`'s values as read (decimal commas)?
    pub fn rewrites(&self, field: &str) -> bool {
        (self.files.iter()).any(|f| {
            f.decimal_comma.contains(&field)
                || f.thousands(field).is_some()
                || f.float_ids.contains(&field)
        })
    }

    /// The column of a field's values as the file writes them, beside the values as
    /// read, in scans that locate rows (see [`Input::rewrites`]).
    pub fn written_column(&self, field: &str) -> String {
        match self.rewrites(field) {
            true => written(field),
            false => field.to_string(),
        }
    }

    /// The columns of a raw scan of file `i` renamed to canonical `fields` (plus the raw
    /// `columns`, [`EXTRA`] and [`RAGGED`]), without the rows that hold nothing.
    fn shape(
        &self,
        lf: LazyFrame,
        i: usize,
        fields: &[&str],
        columns: &[String],
        row_index: bool,
    ) -> LazyFrame {
        let shape = Shape {
            row_index,
            rows: Rows::Kept,
            classes: &[],
        };
        self.shape_rows(lf, i, fields, columns, &shape)
    }

    /// [`Input::shape`], keeping the rows `--where` keeps, or only those it leaves out,
    /// and reading the fields and columns of [`Shape::classes`] as their classes.
    fn shape_rows(
        &self,
        lf: LazyFrame,
        i: usize,
        fields: &[&str],
        columns: &[String],
        shape: &Shape,
    ) -> LazyFrame {
        let file = &self.files[i];
        let flagged = self.is_where_flagged() && shape.rows == Rows::Kept;
        let mut select: Vec<Expr> = Vec::new();
        let lf = match (file.filter.keeps(&file.markers), shape.rows) {
            (keeps, Rows::Kept) if flagged => {
                select.push(keeps.unwrap_or(lit(true)).alias(WHERE_KEPT));
                lf
            }
            (Some(keeps), Rows::Kept) => lf.filter(keeps),
            (Some(keeps), Rows::FilteredOut) => lf.filter(keeps.not()),
            (None, Rows::Kept) => lf,
            (None, Rows::FilteredOut) => lf.limit(0),
        };
        if shape.row_index {
            select.push(col(ROW_INDEX));
        }
        let texts = |read: &str| !shape.classes.iter().any(|c| c.read == read);
        for &f in fields.iter().filter(|f| texts(f)) {
            if let Some(col_name) = file.mapping.get(f) {
                // By its literal name: `col` reads `*` and `^…$` as patterns.
                let cell = file.markers.clear(Expr::Column(col_name.into()));
                // A scan that locates rows keeps each value as written too, for a
                // rejected one to be shown as the file holds it.
                if shape.row_index && self.rewrites(f) {
                    select.push(cell.clone().alias(written(f)));
                }
                // Spaces around a customer's id are a spreadsheet's, where asked.
                let cell = match file.ids_trimmed && f == "customer_id" {
                    true => cell.str().strip_chars(lit(NULL)),
                    false => cell,
                };
                match (file.decimal_comma.contains(&f), file.thousands(f)) {
                    _ if file.float_ids.contains(&f) => {
                        select.push(float_ids::as_integers(cell).alias(f))
                    }
                    (true, _) => select.push(decimal::rewritten(cell).alias(f)),
                    (false, Some(thousands)) => {
                        select.push(decimal::ungrouped_column(cell, thousands).alias(f))
                    }
                    (false, None) => select.push(cell.alias(f)),
                }
            }
        }
        for c in columns.iter().filter(|c| texts(c)) {
            let own = self.own_spelling(i, c);
            select.push(
                file.markers
                    .clear(Expr::Column(own.into()))
                    .alias(c.as_str()),
            );
        }
        let mut classes: Vec<&str> = Vec::new();
        for class in shape.classes {
            let Some(read) = self.class_column(i, class, fields, columns) else {
                continue;
            };
            select.push(class_expr(
                Expr::Column(read.into()),
                Arc::clone(&class.of),
                Arc::clone(&file.markers),
                &class.name,
            ));
            classes.push(&class.name);
        }
        // A row with nothing in any column read (a blank line, `,,,`) is not data.
        let any_value = fields
            .iter()
            .filter(|f| file.mapping.has(f) && texts(f))
            .map(|f| col(*f))
            .chain(columns.iter().filter(|c| texts(c)).map(|c| col(c.as_str())))
            .chain(classes.iter().map(|c| col(*c)))
            .map(|e| e.is_not_null())
            .reduce(|a, b| a.or(b))
            .unwrap_or(lit(true));
        select.push(col(EXTRA));
        // An extra field of spaces only is as blank as an empty one (a trailing `, `).
        let extra = col(EXTRA).str().strip_chars(lit(NULL));
        select.push(extra.neq(lit("")).fill_null(lit(false)).alias(RAGGED));
        let any_value = any_value.or(col(RAGGED));
        lf.select(select).filter(any_value)
    }
}

/// How [`Input::shape_rows`] shapes a frame.
struct Shape<'a> {
    /// Keep the [`ROW_INDEX`] column.
    row_index: bool,
    rows: Rows,
    /// Fields and columns read as classes.
    classes: &'a [Class],
}

/// The name of a field's column of values as written ([`Input::written_column`]).
fn written(field: &str) -> String {
    format!("__written_{field}")
}

/// A Parquet scan's columns that are read (and [`EXTRA`]), each once: the others are
/// not loaded at all (an unused text column of a kilobyte a row tripled the memory).
fn only(read: &[&str]) -> Vec<Expr> {
    let mut names: Vec<&str> = read.to_vec();
    names.push(EXTRA);
    let mut seen = std::collections::HashSet::new();
    names.retain(|n| seen.insert(*n));
    // By their literal names: `col` reads `*` and `^…$` as patterns.
    (names.into_iter())
        .map(|n| Expr::Column(n.into()))
        .collect()
}

/// The failure of a file whose quoted field runs on over records
/// ([`blocks::runaway_quote`]), before it is located.
fn runaway(name: &str) -> crate::error::CxmError {
    data_err!("{name}: a quoted field runs on over line ends, with text after its closing quote")
}
