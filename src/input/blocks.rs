//! Reading CSV files a block of whole records at a time, on every core.
//!
//! Polars' CSV scan finds record ends on one thread, a byte at a time (its SIMD
//! splitter needs nightly Rust), and maps the whole file, so every page read counts in
//! the process's memory. Here a file is cut into blocks after the last record that
//! ends in them: ranges of the file mapped into memory, each let go of when its frame
//! is made (a file that cannot be mapped is read with `read`), and worker threads turn
//! the blocks into frames: a block
//! without a quote character is split on its delimiters and newlines directly
//! ([`plain_frame`]); any other block goes through polars' own reader over its bytes.
//! Either way a block's frame holds what polars' scan of the whole file holds for those
//! records (a property test compares the two).

use std::borrow::Cow;
use std::fs::File;
use std::io::Read;
use std::ops::Range;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use memmap2::Mmap;

use memchr::{memchr, memchr2_iter, memrchr};
use polars::prelude::*;

use super::missing::Markers;
use super::text::TextColumn;
use crate::error::{CxmError, Result};

/// Bytes read per block (a block grows when one record is longer).
pub const BLOCK: usize = 8 << 20;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Whole records of a file: read into memory, or a range of the file mapped.
pub enum Block {
    Read(Vec<u8>),
    Mapped(Arc<Mmap>, Range<usize>),
}

impl std::ops::Deref for Block {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            Block::Read(bytes) => bytes,
            Block::Mapped(map, range) => &map[range.clone()],
        }
    }
}

impl AsRef<[u8]> for Block {
    fn as_ref(&self) -> &[u8] {
        self
    }
}

impl Drop for Block {
    /// A mapped block's pages leave the process when it is done with them: else every
    /// page of the file read would count in its memory, to the file's size.
    fn drop(&mut self) {
        if let Block::Mapped(map, range) = self {
            // SAFETY: the map is of a file, read-only and never written: a page let
            // go of is read from the file again if touched (the neighbouring block's
            // share of a page, perhaps on another thread), unchanged.
            let _ = unsafe {
                map.unchecked_advise_range(
                    memmap2::UncheckedAdvice::DontNeed,
                    range.start,
                    range.len(),
                )
            };
        }
    }
}

/// The data records of one CSV file, a block at a time.
pub struct Blocks {
    file: File,
    path: std::path::PathBuf,
    pending: Vec<u8>,
    /// Bytes of the file before `pending` (mapped: before the next block).
    offset: u64,
    eof: bool,
    size: usize,
    /// The file mapped, once its header is passed (`pending` is then unused).
    map: Option<Arc<Mmap>>,
    /// See [`Blocks::with_lines_above`].
    lines_above: u64,
}

impl Blocks {
    /// Open a file and move past its header record (and the blank lines and byte-order
    /// mark before it, which polars skips too); blocks will be about `size` bytes.
    pub fn open(path: &Path, size: usize) -> std::io::Result<Blocks> {
        // A block no bigger than the record limit: a longer record then always makes
        // a block grow, where it is checked.
        let size = size.clamp(1, crate::input::max_record_bytes());
        let mut blocks = Blocks {
            file: File::open(path)?,
            path: path.to_path_buf(),
            pending: Vec::with_capacity(size),
            offset: 0,
            eof: false,
            size,
            map: None,
            lines_above: 0,
        };
        blocks.skip_header()?;
        // Data past the header: mapped from there, not copied block by block into
        // memory (a tenth of a run's time on a large file). A file that cannot be
        // mapped is read.
        if !(blocks.pending.is_empty() && blocks.eof) {
            // SAFETY: the file is only read. One cut short while it is read raises
            // SIGBUS, which stops the run saying so (`cleanup::stop_on_cut_short_input`).
            if let Ok(map) = unsafe { Mmap::map(&blocks.file) } {
                let _ = map.advise(memmap2::Advice::Sequential);
                blocks.map = Some(Arc::new(map));
                blocks.pending = Vec::new();
            }
        }
        Ok(blocks)
    }

    /// Read until `pending` holds `want` bytes or the file ends.
    fn fill(&mut self, want: usize) -> std::io::Result<()> {
        if !self.eof && self.pending.len() < want {
            // Into the buffer's spare room as it is: zeroing 8 MB a block first cost
            // more than the reading.
            let missing = want - self.pending.len();
            self.pending.reserve_exact(missing);
            (&mut self.file)
                .take(missing as u64)
                .read_to_end(&mut self.pending)?;
            self.eof = self.pending.len() < want;
        }
        Ok(())
    }

    /// Read until `find` finds something in `pending[from..]` or the file ends.
    fn fill_until(
        &mut self,
        from: usize,
        find: impl Fn(&[u8]) -> Option<usize>,
    ) -> std::io::Result<Option<usize>> {
        loop {
            if let Some(i) = find(&self.pending[from.min(self.pending.len())..]) {
                return Ok(Some(from + i));
            }
            if self.eof {
                return Ok(None);
            }
            self.check_record_size(from)?;
            let more = self.pending.len().max(64 * 1024) * 2;
            self.fill(more)?;
        }
    }

    /// The original file's line of the byte at `offset`.
    fn line_at(&self, offset: u64) -> std::io::Result<u64> {
        Ok(line_at(&self.path, offset)? + self.lines_above)
    }

    /// The lines of the original file left out above this one's header (a title,
    /// `sep=`), for the lines its errors name.
    pub fn with_lines_above(mut self, lines: u64) -> Blocks {
        self.lines_above = lines;
        self
    }

    /// Stop when the record starting at `pending[start]` is over the record limit.
    fn check_record_size(&self, start: usize) -> std::io::Result<()> {
        if self.pending.len().saturating_sub(start) <= crate::input::max_record_bytes() {
            return Ok(());
        }
        let at = self.offset + start as u64;
        Err(crate::input::record_too_long(self.line_at(at)?))
    }

    /// Drop the first `n` bytes of `pending`, which have been handed out or skipped.
    fn consume(&mut self, n: usize) {
        self.pending.drain(..n);
        self.offset += n as u64;
    }

    fn skip_header(&mut self) -> std::io::Result<()> {
        self.fill(BOM.len())?;
        let mut pos = if self.pending.starts_with(BOM) {
            BOM.len()
        } else {
            0
        };
        loop {
            let Some(nl) = self.fill_until(pos, |b| memchr(b'\n', b))? else {
                self.pending.clear(); // a header without data
                return Ok(());
            };
            let line = &self.pending[pos..nl];
            if !line.is_empty() && line != b"\r" {
                break;
            }
            pos = nl + 1;
        }
        match self.fill_until(pos, first_record_end)? {
            Some(end) => self.consume(end + 1),
            None => self.pending.clear(),
        }
        Ok(())
    }

    /// The next block of whole records, `None` at the end of the file.
    pub fn next_block(&mut self) -> std::io::Result<Option<Block>> {
        if let Some(map) = self.map.clone() {
            return self.next_mapped(map);
        }
        let mut want = self.size;
        loop {
            self.fill(want)?;
            if self.pending.is_empty() {
                return Ok(None);
            }
            // Grown past a block: the first record is a long one, held to the limit
            // whether or not its end came in the last read.
            if want > self.size {
                let first = first_record_end(&self.pending).unwrap_or(self.pending.len());
                if first > crate::input::max_record_bytes() {
                    return Err(crate::input::record_too_long(self.line_at(self.offset)?));
                }
            }
            if self.eof {
                return Ok(Some(Block::Read(std::mem::take(&mut self.pending))));
            }
            if let Some(end) = last_record_end(&self.pending) {
                let mut rest = Vec::with_capacity(self.size.max(self.pending.len() - end));
                rest.extend_from_slice(&self.pending[end + 1..]);
                let mut block = std::mem::replace(&mut self.pending, rest);
                block.truncate(end + 1);
                self.offset += block.len() as u64;
                return Ok(Some(Block::Read(block)));
            }
            want = self.pending.len() * 2; // one record longer than a block
        }
    }

    /// [`Blocks::next_block`] of a mapped file: the same cuts, as ranges of the map.
    fn next_mapped(&mut self, map: Arc<Mmap>) -> std::io::Result<Option<Block>> {
        let len = map.len();
        let start = usize::try_from(self.offset).unwrap_or(usize::MAX).min(len);
        if start == len {
            return Ok(None);
        }
        let mut want = self.size;
        loop {
            let end = start.saturating_add(want).min(len);
            let bytes = &map[start..end];
            if want > self.size {
                let first = first_record_end(bytes).unwrap_or(bytes.len());
                if first > crate::input::max_record_bytes() {
                    return Err(crate::input::record_too_long(self.line_at(self.offset)?));
                }
            }
            let cut = match end == len {
                true => Some(len),
                false => last_record_end(bytes).map(|e| start + e + 1),
            };
            if let Some(cut) = cut {
                self.offset = cut as u64;
                return Ok(Some(Block::Mapped(map, start..cut)));
            }
            want = want.saturating_mul(2); // one record longer than a block
        }
    }
}

/// The line number (from 1) of the byte at `offset` of the file: only for errors, so
/// the file is read again rather than every line end counted as it goes.
fn line_at(path: &Path, offset: u64) -> std::io::Result<u64> {
    let mut file = File::open(path)?.take(offset);
    let mut buf = vec![0u8; 1 << 20];
    let mut lines = 1;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            return Ok(lines);
        }
        lines += memchr::memchr_iter(b'\n', &buf[..n]).count() as u64;
    }
}

/// The newline ending the first record of `bytes` (which starts outside quotes): the
/// first newline after an even number of quote characters, as polars counts them.
fn first_record_end(bytes: &[u8]) -> Option<usize> {
    let mut quoted = false;
    for i in memchr2_iter(b'"', b'\n', bytes) {
        if bytes[i] == b'"' {
            quoted = !quoted;
        } else if !quoted {
            return Some(i);
        }
    }
    None
}

/// The newline ending the last whole record of `bytes` (which starts outside quotes).
fn last_record_end(bytes: &[u8]) -> Option<usize> {
    if memchr(b'"', bytes).is_none() {
        return memrchr(b'\n', bytes);
    }
    let (mut quoted, mut last) = (false, None);
    for i in memchr2_iter(b'"', b'\n', bytes) {
        if bytes[i] == b'"' {
            quoted = !quoted;
        } else if !quoted {
            last = Some(i);
        }
    }
    last
}

/// Does a quoted field of the block (which starts outside quotes) run on over line
/// ends into what reads as a record of `fields` fields (a later line holding as many
/// delimiters as a record), with text after its closing quote? A quote left open
/// (`"Printer broken`) closed by a later field's quote: the records between are read
/// as part of one field, even in a column no command reads, so the file is not read.
/// A field of several lines closed where it should be is fine, and so is one whose
/// lines hold fewer delimiters (an unescaped quote inside, `\"`, a space after it).
pub fn runaway_quote(block: &[u8], delimiter: u8, fields: usize) -> bool {
    // Lines by their quotes' parity (counted fast): only the lines of a field that
    // runs over line ends are looked into (most quoted exports have few or none).
    let mut opened: Option<usize> = None;
    let mut start = 0;
    for end in memchr::memchr_iter(b'\n', block).chain([block.len()]) {
        let odd = memchr::memchr_iter(b'"', &block[start..end]).count() % 2 == 1;
        match (opened, odd) {
            (None, true) => opened = Some(start),
            (Some(from), true) => {
                let through = (end + 1).min(block.len());
                if quote_runs_over_records(&block[from..through], delimiter, fields) {
                    return true;
                }
                opened = None;
            }
            _ => {}
        }
        start = end + 1;
    }
    false
}

/// [`runaway_quote`] of the whole file at `path` (mapped into memory, not copied): a
/// file without quotes is passed over at memchr's speed.
pub fn file_has_runaway_quote(path: &Path, delimiter: u8, fields: usize) -> std::io::Result<bool> {
    let file = File::open(path)?;
    if file.metadata()?.len() == 0 {
        return Ok(false);
    }
    // SAFETY: the file is only read. One cut short while it is read raises SIGBUS,
    // which stops the run saying so (`cleanup::stop_on_cut_short_input`).
    let map = unsafe { Mmap::map(&file)? };
    Ok(memchr(b'"', &map).is_some() && runaway_quote(&map, delimiter, fields))
}

/// [`runaway_quote`] of lines that start outside quotes, quote by quote.
fn quote_runs_over_records(block: &[u8], delimiter: u8, fields: usize) -> bool {
    let (mut at, mut quoted, mut line_end) = (0usize, false, None::<usize>);
    while let Some(found) = memchr::memchr2(b'"', b'\n', &block[at..]) {
        let i = at + found;
        at = i + 1;
        if block[i] == b'\n' {
            if quoted && line_end.is_none() {
                line_end = Some(i);
            }
            continue;
        }
        if !quoted {
            (quoted, line_end) = (true, None);
            continue;
        }
        // A doubled quote inside the field.
        if block.get(i + 1) == Some(&b'"') {
            at = i + 2;
            continue;
        }
        quoted = false;
        let after = block.get(i + 1).copied();
        let text_after = !matches!(after, None | Some(b'\n' | b'\r')) && after != Some(delimiter);
        if let Some(first_end) = line_end.filter(|_| text_after) {
            // The lines after the opening one, through the closing quote's.
            let stop = memchr(b'\n', &block[i..]).map_or(block.len(), |n| i + n);
            let record = |line: &[u8]| {
                memchr::memchr_iter(delimiter, line).count() >= fields.saturating_sub(1).max(1)
            };
            if block[first_end + 1..stop]
                .split(|b| *b == b'\n')
                .any(record)
            {
                return true;
            }
        }
    }
    false
}

/// Does a block (which starts outside quotes) end inside a quoted field?
pub fn ends_inside_quotes(block: &[u8]) -> bool {
    memchr::memchr_iter(b'"', block).count() % 2 == 1
}

/// The data records of a file, as its blocks hold them (blank lines included, as
/// polars counts them): read again at block size, so any length counts, in a `u64`.
pub fn count_records(path: &Path) -> std::io::Result<u64> {
    let mut blocks = Blocks::open(path, BLOCK)?;
    let mut total = 0u64;
    while let Some(block) = blocks.next_block()? {
        total += records_in(&block);
    }
    Ok(total)
}

/// [`count_records`], and how many of them are blank rows: lines of nothing but
/// spaces, tabs and delimiters (`,,` as a spreadsheet writes an empty row), skipped by
/// the metric commands as blank in every column.
pub fn count_records_and_blank(
    path: &Path,
    (delimiter, width): (u8, usize),
    markers: &Markers,
) -> std::io::Result<(u64, u64)> {
    let mut blocks = Blocks::open(path, BLOCK)?;
    let (mut total, mut blank) = (0u64, 0u64);
    while let Some(block) = blocks.next_block()? {
        total += records_in(&block);
        blank += blank_rows_in(&block, delimiter, markers, width);
    }
    Ok((total, blank))
}

/// The records of a block (which starts outside quotes) that are blank rows, as
/// [`count_records_and_blank`] tells them.
fn blank_rows_in(block: &[u8], delimiter: u8, markers: &Markers, width: usize) -> u64 {
    let (mut quoted, mut line_start, mut blank) = (false, 0usize, 0u64);
    let is_blank = |line: &[u8]| markers.is_blank_record(fields_of(line, delimiter), width);
    for i in memchr2_iter(b'"', b'\n', block) {
        if block[i] == b'"' {
            quoted = !quoted;
            continue;
        }
        if quoted {
            continue;
        }
        blank += u64::from(is_blank(&block[line_start..i]));
        line_start = i + 1;
    }
    // A last line without its line end.
    let last = &block[line_start..];
    blank += u64::from(!last.is_empty() && !quoted && is_blank(last));
    blank
}

/// The fields of a record's line as the reader reads them (`None`: not UTF-8): split
/// at delimiters outside quotes, a quoted field's quotes taken off and its doubled
/// quotes made one, blanks around it aside.
fn fields_of(line: &[u8], delimiter: u8) -> impl Iterator<Item = Option<Cow<'_, str>>> {
    let mut start = Some(0);
    std::iter::from_fn(move || {
        let from = start?;
        let mut quoted = false;
        let mut end = from;
        while end < line.len() && (quoted || line[end] != delimiter) {
            quoted ^= line[end] == b'"';
            end += 1;
        }
        start = (end < line.len()).then_some(end + 1);
        let field = line[from..end].trim_ascii();
        Some(match field {
            [b'"', inner @ .., b'"'] if inner.contains(&b'"') => {
                let mut unquoted = Vec::with_capacity(inner.len());
                let mut bytes = inner.iter().peekable();
                while let Some(&b) = bytes.next() {
                    unquoted.push(b);
                    if b == b'"' && bytes.peek() == Some(&&b'"') {
                        bytes.next();
                    }
                }
                String::from_utf8(unquoted).ok().map(Cow::Owned)
            }
            [b'"', inner @ .., b'"'] => std::str::from_utf8(inner).ok().map(Cow::Borrowed),
            _ => std::str::from_utf8(field).ok().map(Cow::Borrowed),
        })
    })
}

/// The records in the first `blocks` blocks of a file as [`map_blocks`] splits it
/// at `size`: where the next block's records start among the file's.
pub fn records_before(path: &Path, size: usize, blocks: usize) -> std::io::Result<u64> {
    let mut reader = Blocks::open(path, size)?;
    let mut total = 0u64;
    for _ in 0..blocks {
        let Some(block) = reader.next_block()? else {
            break;
        };
        total += records_in(&block);
    }
    Ok(total)
}

/// The records a block holds: a line end outside quotes ends one, and a last record
/// may lack its line end (only at the end of a file).
fn records_in(block: &[u8]) -> u64 {
    let mut quoted = false;
    let mut ends = 0u64;
    for i in memchr2_iter(b'"', b'\n', block) {
        if block[i] == b'"' {
            quoted = !quoted;
        } else if !quoted {
            ends += 1;
        }
    }
    ends + u64::from(!block.is_empty() && !block.ends_with(b"\n"))
}

/// The columns of a file's scan, as [`plain_frame`] needs them.
pub struct Layout {
    pub delimiter: u8,
    /// Columns of the file's schema: the header's, then one for the first extra field.
    pub width: usize,
    /// Which columns to keep: (index in the schema, name).
    pub wanted: Vec<(usize, PlSmallStr)>,
}

/// A block without quote characters, in valid UTF-8, as the frame of string columns
/// polars reads from it: records end at `\n`, fields at the delimiter, and one `\r`
/// ending a field is dropped (so `\r\n` ends records too); an empty cell, `null` or
/// `NULL` is null, a missing field is null, and fields beyond the schema are ignored.
/// `None` for any other block (and with a delimiter past ASCII).
pub fn plain_frame(block: &[u8], layout: &Layout) -> Option<DataFrame> {
    // A delimiter past ASCII could cut a character in two (cells are cut at ASCII
    // bytes only, below).
    if memchr(b'"', block).is_some() || !layout.delimiter.is_ascii() {
        return None;
    }
    // Validated once: cells are cut at ASCII bytes, so each is UTF-8 too.
    std::str::from_utf8(block).ok()?;
    let rows = memchr::memchr_iter(b'\n', block).count() + 1;
    let mut slot = vec![usize::MAX; layout.width];
    let mut wanted = layout.wanted.clone();
    wanted.sort_by_key(|(i, _)| *i);
    for (k, (i, _)) in wanted.iter().enumerate() {
        if let Some(s) = slot.get_mut(*i) {
            *s = k;
        }
    }
    let mut builders: Vec<TextColumn> = wanted
        .iter()
        .map(|_| TextColumn::with_capacity(rows))
        .collect();
    // Past the last wanted field, the rest of the line is passed over.
    let last_wanted = wanted.iter().map(|(i, _)| *i).max();
    let (mut field, mut start) = (0usize, 0usize);
    let mut cells = super::split::CellEnds::new(block, layout.delimiter);
    while let Some((end, line_end)) = cells.next() {
        if let Some(&k) = slot.get(field) {
            if k != usize::MAX {
                // Bytes, not `str` slices (each checks that its ends are characters'):
                // the block is UTF-8, cut at ASCII bytes only.
                let end = end - usize::from(end > start && block.get(end - 1) == Some(&b'\r'));
                let cell = block.get(start..end)?;
                if cell.is_empty() || cell == b"null" || cell == b"NULL" {
                    builders[k].push_null();
                } else {
                    // SAFETY: `block` is UTF-8 (checked above) and `start` and `end` are
                    // at ASCII bytes (delimiters, line ends, `\r`) or its ends, so the
                    // bytes between are UTF-8 too.
                    let cell = unsafe { std::str::from_utf8_unchecked(cell) };
                    builders[k].push(block, start, cell)?;
                }
            }
        }
        field += 1;
        start = end + 1;
        if line_end {
            for (k, (i, _)) in wanted.iter().enumerate() {
                if *i >= field {
                    builders[k].push_null();
                }
            }
            field = 0;
        } else if last_wanted.is_none_or(|last| field > last) {
            cells.skip_line();
        }
    }
    let columns: Vec<Column> = builders
        .into_iter()
        .zip(&wanted)
        .map(|(b, (_, name))| b.finish(name.clone()))
        .collect();
    let height = columns.first().map_or(0, |c| c.len());
    DataFrame::new(height, columns).ok()
}

/// Run `work(file, seq, block)` on every block (of about `size` bytes) of every file,
/// on all cores, and return the results in file and block order; `seq` is the
/// block's place in that order (0, 1, …). The first error stops the work.
pub fn map_blocks<T: Send>(
    paths: &[(&Path, &str, u64)],
    size: usize,
    work: impl Fn(usize, usize, Block) -> Result<T> + Sync,
) -> Result<Vec<T>> {
    struct Feed<'a> {
        paths: &'a [(&'a Path, &'a str, u64)],
        size: usize,
        file: usize,
        blocks: Option<Blocks>,
        seq: usize,
    }
    impl Feed<'_> {
        fn next(&mut self) -> Result<Option<(usize, usize, Block)>> {
            while self.file < self.paths.len() {
                let (path, name, lines_above) = self.paths[self.file];
                let cannot = |e: std::io::Error| crate::data_err!("{name}: cannot read: {e}");
                if self.blocks.is_none() {
                    let opened = Blocks::open(path, self.size).map_err(cannot)?;
                    self.blocks = Some(opened.with_lines_above(lines_above));
                }
                if let Some(blocks) = self.blocks.as_mut() {
                    if let Some(block) = blocks.next_block().map_err(cannot)? {
                        self.seq += 1;
                        return Ok(Some((self.seq - 1, self.file, block)));
                    }
                }
                self.blocks = None;
                self.file += 1;
            }
            Ok(None)
        }
    }
    let feed = Mutex::new(Feed {
        paths,
        size,
        file: 0,
        blocks: None,
        seq: 0,
    });
    let done = Mutex::new(Vec::new());
    let failed = AtomicBool::new(false);
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let worker = || -> Result<()> {
        // One block per core already: polars works on this thread alone, rather than
        // every worker queueing for its pool.
        polars_async::executor::ALLOW_RAYON_THREADS.set(false);
        while !failed.load(Ordering::Relaxed) {
            let next = feed.lock().unwrap_or_else(|p| p.into_inner()).next();
            let result = next.and_then(|n| match n {
                Some((seq, file, block)) => work(file, seq, block).map(|t| Some((seq, t))),
                None => Ok(None),
            });
            match result {
                Ok(Some(item)) => done.lock().unwrap_or_else(|p| p.into_inner()).push(item),
                Ok(None) => return Ok(()),
                Err(e) => {
                    failed.store(true, Ordering::Relaxed);
                    return Err(e);
                }
            }
        }
        Ok(())
    };
    let outcomes: Vec<Result<()>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads).map(|_| s.spawn(worker)).collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(CxmError::Internal("a reader thread panicked".into())))
            })
            .collect()
    });
    for outcome in outcomes {
        outcome?;
    }
    let mut done = done.into_inner().unwrap_or_else(|p| p.into_inner());
    done.sort_by_key(|(seq, _)| *seq);
    Ok(done.into_iter().map(|(_, t)| t).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks_of(text: &[u8]) -> Vec<Vec<u8>> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.csv");
        std::fs::write(&path, text).unwrap();
        let mut blocks = Blocks::open(&path, 4).unwrap();
        let mut out = Vec::new();
        while let Some(b) = blocks.next_block().unwrap() {
            out.push(b.to_vec());
        }
        out
    }

    #[test]
    fn the_header_and_what_precedes_it_are_skipped() {
        assert_eq!(
            blocks_of(b"\xEF\xBB\xBF\r\n\na,b\n1,2\n"),
            [b"1,2\n".to_vec()]
        );
        assert_eq!(blocks_of(b"\"a\nb\",c\r\n1,2"), [b"1,2".to_vec()]);
        assert!(blocks_of(b"a,b").is_empty());
        assert!(blocks_of(b"a,b\n").is_empty());
    }

    #[test]
    fn blank_rows_are_lines_of_blanks_and_delimiters() {
        // A blank first record, a CR LF one, `,,`, spaces and a tab, `"",` (empty
        // fields written quoted), one at the end and one without its line end; a
        // quoted empty line and a field holding a quote are not.
        let block = b"\na\n\r\n,,\n \t,\n\"x\n\n\"\n\"\",\n\"\"\"\"\nb\n\n  ";
        let markers = Markers::default();
        assert_eq!(blank_rows_in(block, b',', &markers, 3), 7);
        assert_eq!(blank_rows_in(b"a\nb", b',', &markers, 1), 0);
        assert_eq!(blank_rows_in(b"", b',', &markers, 1), 0);
        assert_eq!(blank_rows_in(b";;\n,,\n", b';', &markers, 3), 1);
        // A quoted space, a no-break space, `null` cells, as `-v` reads them; not
        // `nul` or a quoted `"null"` beside text.
        assert_eq!(
            blank_rows_in(
                b"\" \",,\n\xc2\xa0,,\nnull,NULL,\nnul,,\n",
                b',',
                &markers,
                3
            ),
            3
        );
        // Unicode blanks (ideographic, em and no-break spaces, a vertical tab) and
        // the markers of missing, `--na`'s too: blank as the commands read them.
        let row = b"\xe3\x80\x80,\"\xe2\x80\x83\",\x0b\nNA,N/A,\"?\"\n-,x,\n";
        assert_eq!(blank_rows_in(row, b',', &markers, 3), 2);
        let dash = Markers::new(&["-".to_string(), "x".to_string()]);
        assert_eq!(blank_rows_in(row, b',', &dash, 3), 3);
        // A marker past the header's fields makes a ragged row, no blank one; a blank
        // one there does not, and fields past it are not read.
        assert_eq!(
            blank_rows_in(b",,,,NA\n,,,,\n,,,, ,x\n", b',', &markers, 4),
            2
        );
        // Fields split as the reader splits them: a marker holding the delimiter or
        // a quote, quoted.
        let odd = Markers::new(&["n,a".to_string(), "a\"b".to_string()]);
        assert_eq!(
            blank_rows_in(b"\"n,a\",,\n\"a\"\"b\",\"\"\n", b',', &odd, 3),
            2
        );
    }

    #[test]
    fn a_quote_left_open_over_records_is_found() {
        // Left open on the second line, closed by the fourth's: records run together.
        let left_open = b"1,a,x\n2,\"b,y\n3,c,z\n4,\"d,w\n5,e,v\n";
        assert!(runaway_quote(left_open, b',', 3));
        // Into the next line alone, a record of its own.
        assert!(runaway_quote(b"1,\"b,y\n2,\"c,z\n", b',', 3));
        // Fields of several lines, commas and doubled quotes inside, closed where
        // they should be; a pair of quotes inside a field; two lines then text, no
        // delimiter between.
        let three = |s: &[u8]| runaway_quote(s, b',', 3);
        assert!(!three(b"1,\"a,\nb, c\",x\n2,\"\"\"q\"\"\",y\n"));
        assert!(!three(b"1,the \"best\" team,x\n"));
        assert!(!three(b"1,\"two\nlines\"x,y\n"));
        assert!(!runaway_quote(b"1;\"a,\nb\";x\r\n", b';', 3));
        // Not strictly CSV, but no record runs into another: a quote inside left
        // undoubled, a space after the closing quote, a backslash-escaped quote.
        let four = |s: &[u8]| runaway_quote(s, b',', 4);
        assert!(!four(
            b"T1,t,\"Line one\nline two, see \"manual\" for more\",A\nT2,t,ok,B\n"
        ));
        assert!(!four(
            b"T1,t,\"line one\nline two, with comma\" ,A\nT2,t,plain,B\n"
        ));
        assert!(!four(
            b"T1,t,\"Line one\nline two, he said \\\"hi\\\" then left\",A\n"
        ));
    }

    #[test]
    fn records_end_at_newlines_outside_quotes() {
        assert_eq!(last_record_end(b"a\nb\nc"), Some(3));
        assert_eq!(last_record_end(b"a\n\"b\nc"), Some(1));
        assert_eq!(last_record_end(b"a\n\"b\nc\"\nd"), Some(7));
        assert_eq!(first_record_end(b"\"x\ny\",z\nw"), Some(7));
    }
}
