//! Data records of a CSV file as polars counts them: every newline outside quotes
//! ends a record, blank lines included. Used to turn a polars row number into the
//! physical line where that record starts, and to re-read its fields.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

/// Records split into their cells many at a time: a CSV reader built for each one
/// cost more than reading it (24 µs a record, 12 s for a file's 500,000 rejects).
pub struct Batch {
    delimiter: u8,
    bytes: Vec<u8>,
    /// Each record's index, line, and where its bytes start and end.
    records: Vec<(u64, u64, usize, usize)>,
}

impl Batch {
    const RECORDS: usize = 4096;

    pub fn new(delimiter: u8) -> Batch {
        Batch {
            delimiter,
            bytes: Vec::new(),
            records: Vec::new(),
        }
    }

    /// Add a record's bytes (without its line end); `visit(index, line, cells)` is
    /// called for the records before it once the batch is full.
    pub fn push(
        &mut self,
        index: u64,
        line: u64,
        bytes: &[u8],
        visit: &mut impl FnMut(u64, u64, Vec<String>),
    ) {
        let start = self.bytes.len();
        self.bytes.extend_from_slice(bytes);
        self.records.push((index, line, start, self.bytes.len()));
        self.bytes.push(b'\n');
        if self.records.len() >= Self::RECORDS {
            self.flush(visit);
        }
    }

    /// `visit` each record of the batch, in order.
    pub fn flush(&mut self, visit: &mut impl FnMut(u64, u64, Vec<String>)) {
        let reader = |bytes| {
            csv::ReaderBuilder::new()
                .delimiter(self.delimiter)
                .has_headers(false)
                .flexible(true)
                .from_reader(bytes)
        };
        let cells = |record: csv::ByteRecord| -> Vec<String> {
            (record.iter())
                .map(|c| String::from_utf8_lossy(c).into_owned())
                .collect()
        };
        let all: Option<Vec<Vec<String>>> = (reader(&self.bytes[..]).byte_records())
            .map(|r| r.ok().map(cells))
            .collect();
        match all.filter(|all| all.len() == self.records.len()) {
            Some(all) => {
                for (&(index, line, _, _), row) in self.records.iter().zip(all) {
                    visit(index, line, row);
                }
            }
            // A record the others would not split alike (a quote left open, a blank
            // one): each on its own.
            None => {
                for &(index, line, start, end) in &self.records {
                    let row = match reader(&self.bytes[start..end]).byte_records().next() {
                        Some(Ok(record)) => cells(record),
                        _ => Vec::new(),
                    };
                    visit(index, line, row);
                }
            }
        }
        self.bytes.clear();
        self.records.clear();
    }
}

/// Call `visit(index, line, bytes)` for each data record (after the header) whose
/// index `wanted` accepts, stopping after `last`. `line` is 1-based; `bytes` is the
/// record without its line end.
pub fn visit(
    path: &Path,
    last: u64,
    wanted: impl Fn(u64) -> bool,
    mut visit: impl FnMut(u64, u64, &[u8]),
) -> std::io::Result<()> {
    let mut reader = BufReader::with_capacity(1 << 20, File::open(path)?);
    let mut line = 1u64; // where the current record starts
    let mut next_line = 1u64;
    let mut record: Vec<u8> = Vec::new();
    let mut quoted = false;
    let mut index: i64 = -1; // the header is record -1
    let mut chunk: Vec<u8> = Vec::new();
    loop {
        chunk.clear();
        if reader.read_until(b'\n', &mut chunk)? == 0 {
            break;
        }
        next_line += u64::from(chunk.last() == Some(&b'\n'));
        // Blank lines before the header are not records (nor the header).
        if index < 0 && !quoted && chunk.iter().all(|&b| b == b'\r' || b == b'\n') {
            line = next_line;
            continue;
        }
        quoted ^= chunk.iter().filter(|&&b| b == b'"').count() % 2 == 1;
        let keep = index >= 0 && wanted(index as u64);
        if keep {
            record.extend_from_slice(&chunk);
        }
        if quoted && chunk.last() == Some(&b'\n') {
            continue; // the record goes on past this newline
        }
        if index >= 0 && keep {
            let mut end = record.len();
            while end > 0 && matches!(record[end - 1], b'\n' | b'\r') {
                end -= 1;
            }
            visit(index as u64, line, &record[..end]);
        }
        record.clear();
        if index >= 0 && index as u64 >= last {
            break;
        }
        index += 1;
        line = next_line;
    }
    Ok(())
}

/// The line where a record starts whose quote is still open at the end of the file.
pub fn unterminated_quote(path: &Path) -> std::io::Result<Option<u64>> {
    let mut reader = BufReader::with_capacity(1 << 20, File::open(path)?);
    let (mut line, mut start, mut quoted) = (1u64, 1u64, false);
    let mut chunk: Vec<u8> = Vec::new();
    loop {
        chunk.clear();
        if reader.read_until(b'\n', &mut chunk)? == 0 {
            return Ok(quoted.then_some(start));
        }
        quoted ^= chunk.iter().filter(|&&b| b == b'"').count() % 2 == 1;
        line += 1;
        if !quoted {
            start = line;
        }
    }
}

/// Why a reader cannot get past a CSV file, `name: line: …`, if it cannot: each
/// cause at the line it is found on, the earliest being the one a reader meets (a
/// stray quote, `12" monitor`, also leaves the quotes after it unbalanced); on a
/// tie, the most precise. `lines_above`: lines of the original file left out above
/// `path`'s header (a title, `sep=;`), added to each line named.
pub fn read_problem(
    path: &Path,
    name: &str,
    delimiter: u8,
    headers: &[String],
    lines_above: u64,
) -> Option<String> {
    let mut causes: Vec<(u64, String)> = Vec::new();
    if let Ok(Some(mut quote)) = misplaced_quote(path, delimiter) {
        quote.line += lines_above;
        quote.opened += lines_above;
        let column = headers.get(quote.field).map_or_else(
            || format!("field {}", quote.field + 1),
            |h| format!("column '{}'", crate::text::printable(h)),
        );
        let doubled = "write the field in quotes, each quote in it doubled (\"a\"\"b\")";
        let message = match (quote.inside, quote.opened < quote.line) {
            (true, _) => format!("a quote inside a field that does not start with one ({column}); readers split such a line differently: {doubled}"),
            (false, false) => format!("text after a quoted field's closing quote ({column}); readers split such a line differently: {doubled}"),
            // Most often a quote left open on that line, closed by a later field's.
            (false, true) => format!(
                "text after the closing quote of a field whose quote opened on line {} ({column}): a quote left open there runs on over the line ends; close it, or {doubled}",
                quote.opened
            ),
        };
        causes.push((quote.line, format!("{name}:{}: {message}", quote.line)));
    }
    if let Ok(Some(line)) = unterminated_quote(path).map(|l| l.map(|l| l + lines_above)) {
        causes.push((
            line,
            format!("{name}:{line}: a quote opened on this line is never closed"),
        ));
    }
    if let Ok(Some(line)) = first_invalid_utf8(path).map(|l| l.map(|l| l + lines_above)) {
        causes.push((
            line,
            super::source::not_utf8(name, &format!("{name}:{line}"), path),
        ));
    }
    let earliest = causes
        .into_iter()
        .reduce(|a, b| if b.0 < a.0 { b } else { a });
    earliest.map(|(_, message)| message)
}

/// A quote where RFC 4180 allows none, found by [`misplaced_quote`].
#[derive(Debug, PartialEq, Eq)]
pub struct MisplacedQuote {
    pub line: u64,
    /// The field's place in its record, from 0.
    pub field: usize,
    /// Inside a field that does not start with a quote (`a"b`), rather than after a
    /// quoted field's closing quote (`"b"x`).
    pub inside: bool,
    /// The line where the quoted field opened (after a closing quote), when its
    /// quotes ran on over what reads as records (a delimiter on a later line), as a
    /// quote left open there does; else this line.
    pub opened: u64,
}

/// The first quote where readers part ways: text after a quoted field's closing quote
/// (`"b"x`, which the CSV reader refuses), or a quote inside a field that does not
/// start with one (`a"b`) in a record whose quotes are then odd in number, so that a
/// reader counting every quote runs the record on into the next line. A pair of them
/// (`the "best" team`) reads the same either way and is passed over.
pub fn misplaced_quote(path: &Path, delimiter: u8) -> std::io::Result<Option<MisplacedQuote>> {
    misplaced_quote_in(
        BufReader::with_capacity(1 << 20, File::open(path)?),
        delimiter,
    )
}

/// [`misplaced_quote`] of bytes read from `reader`.
pub fn misplaced_quote_in(
    reader: impl BufRead,
    delimiter: u8,
) -> std::io::Result<Option<MisplacedQuote>> {
    quote_out_of_place(reader, delimiter, false)
}

/// The first quote out of its place, a pair inside a field too (`the "best" team`):
/// where a file is not strictly CSV, and readers may split it differently.
pub fn any_misplaced_quote(path: &Path, delimiter: u8) -> std::io::Result<Option<MisplacedQuote>> {
    quote_out_of_place(
        BufReader::with_capacity(1 << 20, File::open(path)?),
        delimiter,
        true,
    )
}

/// [`misplaced_quote_in`], or with `pairs_too` any quote inside an unquoted field.
fn quote_out_of_place(
    mut reader: impl BufRead,
    delimiter: u8,
    pairs_too: bool,
) -> std::io::Result<Option<MisplacedQuote>> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        FieldStart,
        Unquoted,
        Quoted,
        /// A quote inside a quoted field: its end, or the first of two.
        QuoteInQuoted,
        Closed,
        /// A CR, perhaps before an LF.
        Cr,
    }
    let (mut state, mut line, mut field) = (State::FieldStart, 1u64, 0usize);
    // The line where the last quoted field opened, and whether it runs on over a
    // later line's delimiter.
    let (mut opened, mut runs_on) = (1u64, false);
    // The record's quotes, and its first quote inside an unquoted field.
    let (mut quotes, mut stray) = (0u64, None::<MisplacedQuote>);
    let mut first = true;
    loop {
        let chunk = reader.fill_buf()?;
        if chunk.is_empty() {
            // A quoted field still open at the end, opened after the record's stray
            // quote (`be","ta`: the pair spans a delimiter, so its quotes are even):
            // that stray quote is the cause.
            let open_at_end = state == State::Quoted;
            return Ok(stray.filter(|_| pairs_too || quotes % 2 == 1 || open_at_end));
        }
        let mut bytes = chunk;
        if std::mem::take(&mut first) {
            bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        }
        for &b in bytes {
            quotes += u64::from(b == b'"');
            if state == State::Cr {
                // A lone CR ended a line (CR-only files); a CR LF is one line end.
                state = State::FieldStart;
                if b == b'\n' {
                    continue;
                }
            }
            if state == State::QuoteInQuoted {
                state = match b {
                    b'"' => State::Quoted,
                    _ => State::Closed,
                };
                if state == State::Quoted {
                    continue;
                }
            }
            state = match (state, b) {
                (State::Quoted, b'"') => State::QuoteInQuoted,
                (State::Quoted, b'\n') => {
                    line += 1;
                    State::Quoted
                }
                (State::Quoted, d) => {
                    runs_on |= d == delimiter && line > opened;
                    State::Quoted
                }
                (State::FieldStart, b'"') => {
                    (opened, runs_on) = (line, false);
                    State::Quoted
                }
                (State::Unquoted, b'"') => {
                    let inside = true;
                    stray.get_or_insert(MisplacedQuote {
                        line,
                        field,
                        inside,
                        opened: line,
                    });
                    State::Unquoted
                }
                (_, d) if d == delimiter => {
                    field += 1;
                    State::FieldStart
                }
                (_, b'\n' | b'\r') => {
                    // The record ends: its quotes odd, a reader counting them all
                    // would not end it here.
                    if let Some(found) = stray.take().filter(|_| pairs_too || quotes % 2 == 1) {
                        return Ok(Some(found));
                    }
                    quotes = 0;
                    line += 1;
                    field = 0;
                    if b == b'\r' {
                        State::Cr
                    } else {
                        State::FieldStart
                    }
                }
                (State::Closed, _) => {
                    let inside = false;
                    return Ok(Some(MisplacedQuote {
                        line,
                        field,
                        inside,
                        opened: if runs_on { opened } else { line },
                    }));
                }
                _ => State::Unquoted,
            };
        }
        let n = chunk.len();
        reader.consume(n);
    }
}

/// The first line holding bytes that are not valid UTF-8.
pub fn first_invalid_utf8(path: &Path) -> std::io::Result<Option<u64>> {
    let mut reader = BufReader::with_capacity(1 << 20, File::open(path)?);
    let mut chunk: Vec<u8> = Vec::new();
    let mut line = 1u64;
    loop {
        chunk.clear();
        if reader.read_until(b'\n', &mut chunk)? == 0 {
            return Ok(None);
        }
        if std::str::from_utf8(&chunk).is_err() {
            return Ok(Some(line));
        }
        line += 1;
    }
}

/// Point a read failure at its line when it is an unterminated quote in one of `paths`.
pub fn explain(e: crate::error::CxmError, paths: &[std::path::PathBuf]) -> crate::error::CxmError {
    let crate::error::CxmError::Data(message) = &e else {
        return e;
    };
    if !message.contains("unterminated quote") {
        return e;
    }
    for path in paths.iter().filter(|p| p.is_file()) {
        if let Ok(Some(line)) = unterminated_quote(path) {
            // The earliest cause, as where the reader stops: a quote left open is
            // closed by a later field's, and the quote after that is the one never
            // closed.
            let mut head = Vec::new();
            if let Ok(file) = File::open(path) {
                let _ = file.take(1 << 20).read_to_end(&mut head);
            }
            let first = super::source::first_record(&head);
            let delimiter = super::source::detect_delimiter(first);
            let headers: Vec<String> = csv::ReaderBuilder::new()
                .delimiter(delimiter)
                .has_headers(false)
                .from_reader(first)
                .records()
                .next()
                .and_then(|r| r.ok())
                .map(|r| r.iter().map(str::to_string).collect())
                .unwrap_or_default();
            let name = path.display().to_string();
            return match read_problem(path, &name, delimiter, &headers, 0) {
                Some(cause) => crate::data_err!("{cause}"),
                None => {
                    crate::data_err!("{name}:{line}: a quote opened on this line is never closed")
                }
            };
        }
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A batch splits each record as a reader of its own would: quoted commas and
    /// line breaks kept, a blank record and one with a quote left open (which would
    /// run into the next) each on their own.
    #[test]
    fn a_batch_splits_records_as_one_reader_each() {
        let split = |records: &[&[u8]]| {
            let mut got = Vec::new();
            let mut batch = Batch::new(b',');
            for (i, r) in records.iter().enumerate() {
                batch.push(i as u64, i as u64 + 2, r, &mut |i, l, c| {
                    got.push((i, l, c))
                });
            }
            batch.flush(&mut |i, l, c| got.push((i, l, c)));
            got
        };
        let cells = |c: &[&str]| c.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let got = split(&[b"a,\"b,c\"", b"x,\"y\nz\"", b"1,2,3"]);
        assert_eq!(
            got,
            [
                (0, 2, cells(&["a", "b,c"])),
                (1, 3, cells(&["x", "y\nz"])),
                (2, 4, cells(&["1", "2", "3"]))
            ]
        );
        let got = split(&[b"a,\"open", b"", b"b,c"]);
        assert_eq!(
            got,
            [
                (0, 2, cells(&["a", "open"])),
                (1, 3, Vec::new()),
                (2, 4, cells(&["b", "c"]))
            ]
        );
    }

    #[test]
    fn a_stray_quote_leaving_a_later_field_open_is_found() {
        let found = |text: &[u8]| {
            misplaced_quote_in(text, b',')
                .unwrap_or_default()
                .map(|q| (q.line, q.field, q.inside))
        };
        // `be"` then `"ta` opens a field never closed: the stray quote is the cause.
        assert_eq!(found(b"a,b\nx,be\",\"ta\n"), Some((2, 1, true)));
        assert_eq!(found(b"a,b\nx,be\",\"ta\ny,z\n"), Some((2, 1, true)));
        // A pair inside one field reads alike everywhere: no cause.
        assert_eq!(found(b"a,b\nx,the \"best\" team\n"), None);
    }

    #[test]
    fn misplaced_quotes_are_found_where_they_are() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("q.csv");
        let found = |text: &[u8], delimiter| {
            std::fs::write(&path, text).unwrap_or_default();
            misplaced_quote(&path, delimiter).unwrap_or_default()
        };
        let at = |line, field, inside| {
            Some(MisplacedQuote {
                line,
                field,
                inside,
                opened: line,
            })
        };
        // Quoted fields with doubled quotes, line breaks (LF, CR LF, lone CR) and
        // delimiters inside are fine.
        assert_eq!(
            found(b"a,b\r\n\"x\"\"y\",\"1\n2\"\r3,\"4;5\"\n", b','),
            None
        );
        assert_eq!(found(b"a,b\n1,x\"y\n", b','), at(2, 1, true));
        // Two in a record read alike either way; a BOM is not a field's first byte.
        assert_eq!(found(b"a,b\n1,the \"best\" one\n2,x\n", b','), None);
        assert_eq!(
            found(b"\xEF\xBB\xBF\"a\",\"b\"\n1,\"b\"x\n", b','),
            at(2, 1, false)
        );
        assert_eq!(
            found(b"a;b\r\n\"1\r\n2\";\"z\"w\r\n", b';'),
            at(3, 1, false)
        );
        // A quote left open on line 2 runs on to line 4's first quote, after which
        // the text is out of place: the quote is said to open on line 2. A field of
        // two lines closed before text is not one left open.
        assert_eq!(found(b"id,s\n1,\"two\nlines\"x\n", b','), at(3, 1, false));
        assert_eq!(
            found(b"id,s\n1,\"never closed\n2,ok\n3,\"multi\nline\"\n", b','),
            Some(MisplacedQuote {
                line: 4,
                field: 1,
                inside: false,
                opened: 2,
            })
        );
        assert_eq!(found(b"a\tb\r1\t2\r\"3\"4\t5\r", b'\t'), at(3, 0, false));
    }

    #[test]
    fn blank_lines_are_records_and_quoted_newlines_are_not() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("a.csv");
        std::fs::write(&path, b"h1,h2\r\n\r\na,\"x\ny\"\r\nb,2\n\nc,3").unwrap_or_default();
        let mut seen = Vec::new();
        visit(
            &path,
            u64::MAX,
            |_| true,
            |i, line, bytes| seen.push((i, line, String::from_utf8_lossy(bytes).to_string())),
        )
        .unwrap_or_default();
        assert_eq!(unterminated_quote(&path).unwrap_or_default(), None);
        std::fs::write(&path, b"h\na\n\"b\nc\n").unwrap_or_default();
        assert_eq!(unterminated_quote(&path).unwrap_or_default(), Some(3));
        assert_eq!(
            seen,
            vec![
                (0, 2, "".to_string()),
                (1, 3, "a,\"x\ny\"".to_string()),
                (2, 5, "b,2".to_string()),
                (3, 6, "".to_string()),
                (4, 7, "c,3".to_string()),
            ]
        );
    }
}
