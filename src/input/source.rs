//! Turning command-line inputs into readable files (CSV, or Parquet), and a first
//! look at each.
//!
//! Polars scans files by path, so stdin and gzip input are first spooled to a
//! temporary file (kept alive as long as the [`Source`]). Gzip is recognised by its
//! magic bytes, whatever the file is called.

use std::cell::RefCell;
use std::fs::File;
use std::io::{BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use crate::data_err;
use crate::error::{CxmError, Result};

/// One input, ready for polars.
#[derive(Debug, Clone)]
pub struct Source {
    /// How the user named it (`-` shows as `<stdin>`).
    pub name: String,
    /// A plain (uncompressed) CSV file, or a Parquet file.
    pub path: PathBuf,
    pub format: FileFormat,
    /// For a sheet of a workbook: the sheet's row number of its header, so records
    /// are located by the rows Excel shows rather than by lines of the spool.
    pub sheet_row: Option<u64>,
    /// Lines of the original file left out after its header (an export's extra
    /// header rows): a record's line in the original is its line here plus these.
    pub line_offset: u64,
    /// What reading it left aside, to warn of (a sheet's cells without a column).
    pub note: Option<String>,
    /// The delimiter its own first line names (Excel's `sep=;`), that line left out.
    pub delimiter: Option<u8>,
    /// A workbook's first sheet, read for want of `--sheet`: the others' names, to
    /// point to when this one holds no data.
    pub other_sheets: Vec<String>,
    /// Lines or rows left out around the table (a `sep=` line, a title, a footer),
    /// said under `-v`.
    pub left_out: Option<String>,
    _spool: Option<std::sync::Arc<tempfile::TempPath>>,
}

impl Source {
    /// A source read from a private temporary copy.
    pub fn spooled(
        name: String,
        tmp: tempfile::NamedTempFile,
        format: FileFormat,
        sheet_row: Option<u64>,
    ) -> Source {
        Source {
            name,
            path: tmp.path().to_path_buf(),
            format,
            sheet_row,
            line_offset: 0,
            note: None,
            delimiter: None,
            other_sheets: Vec::new(),
            left_out: None,
            _spool: Some(std::sync::Arc::new(tmp.into_temp_path())),
        }
    }
}

/// How a file's records are stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    Csv,
    /// Recognised by its magic bytes, whatever the file is called.
    Parquet,
}

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// Resolve files, directories (their `*.csv`, `*.tsv`, `*.parquet`, each also `.gz`,
/// sorted) and `-`.
pub fn resolve(inputs: &[PathBuf]) -> Result<Vec<Source>> {
    resolve_with(inputs, Encoding::Auto, None, None)
}

/// [`resolve`], transcoding from `encoding` to UTF-8 where needed, reading `sheet`
/// of a workbook (else its first).
pub fn resolve_with(
    inputs: &[PathBuf],
    encoding: Encoding,
    sheet: Option<&str>,
    delimiter: Option<u8>,
) -> Result<Vec<Source>> {
    let mut out = Vec::new();
    let mut stdin_used = false;
    for input in inputs {
        if input.as_os_str() == "-" {
            if stdin_used {
                return Err(CxmError::Usage("'-' (stdin) can be given only once".into()));
            }
            stdin_used = true;
            let source = spool("<stdin>", &mut std::io::stdin().lock(), encoding, sheet)?;
            out.push(without_lines_above_header(source, delimiter)?);
        } else if input.is_dir() {
            let mut files: Vec<PathBuf> = std::fs::read_dir(input)
                .map_err(|e| data_err!("{}: cannot read directory: {e}", input.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                // A broken or looping link with a data file's name is opened (and so
                // fails, naming it) rather than skipped without a word.
                .filter(|p| has_data_extension(p) && !p.is_dir())
                .collect();
            files.sort();
            if files.is_empty() {
                return Err(data_err!(
                    "{}: no .csv, .tsv or .parquet (each also .gz) nor .xlsx files in this directory",
                    input.display()
                ));
            }
            for f in files {
                out.push(open_file_with(&f, encoding, sheet, delimiter)?);
            }
        } else {
            out.push(open_file_with(input, encoding, sheet, delimiter)?);
        }
    }
    Ok(out)
}

pub fn is_data_name(p: &Path) -> bool {
    p.is_file() && has_data_extension(p)
}

pub fn has_data_extension(p: &Path) -> bool {
    let name = p
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    [
        ".csv",
        ".csv.gz",
        ".tsv",
        ".tsv.gz",
        ".parquet",
        ".parquet.gz",
        ".xlsx",
        ".xlsm",
    ]
    .iter()
    .any(|ext| name.ends_with(ext))
}

pub fn open_file(path: &Path) -> Result<Source> {
    open_file_with(path, Encoding::Auto, None, None)
}

/// Open one file and read it through one handle only. It is spooled (copied, as
/// plain UTF-8 with `\n` line ends, to a temporary file) when it is not a regular
/// file (a FIFO, `/dev/stdin`, `<(…)`: they can be read only once), gzip, UTF-16 (by
/// its byte-order mark), in another `encoding`, or when its first 64 KiB end a line
/// with a lone CR (old Mac exports, or mixed line ends), which the CSV readers would
/// not see as a line end.
/// `delimiter`: `--delimiter`, which title lines above the header are told by.
pub fn open_file_with(
    path: &Path,
    encoding: Encoding,
    sheet: Option<&str>,
    delimiter: Option<u8>,
) -> Result<Source> {
    without_lines_above_header(open_as_is(path, encoding, sheet)?, delimiter)
}

fn open_as_is(path: &Path, encoding: Encoding, sheet: Option<&str>) -> Result<Source> {
    let name = path.display().to_string();
    let mut file = File::open(path).map_err(|e| data_err!("{name}: cannot open: {e}"))?;
    let meta = file.metadata().ok();
    let regular = meta.as_ref().is_some_and(|m| m.is_file());
    if let Some(meta) = meta.as_ref().filter(|_| regular) {
        super::unchanged::note(path, &name, meta);
    }
    let mut head = vec![0u8; HEAD];
    let n = read_up_to(&mut file, &mut head).map_err(|e| data_err!("{name}: cannot read: {e}"))?;
    head.truncate(n);
    // A workbook is told by its content, whatever its name (through a pipe, by its
    // copy, below).
    if head.starts_with(super::excel::ZIP_MAGIC) && regular {
        return super::excel::spool(path, &name, sheet).map_err(|e| not_a_workbook(e, &name));
    }
    if head.starts_with(super::parquet::MAGIC) && regular {
        return Ok(Source {
            name,
            path: path.to_path_buf(),
            format: FileFormat::Parquet,
            sheet_row: None,
            line_offset: 0,
            note: None,
            delimiter: None,
            other_sheets: Vec::new(),
            left_out: None,
            _spool: None,
        });
    }
    let gzip = head.starts_with(&GZIP_MAGIC);
    let utf16 = head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]);
    let parquet = head.starts_with(super::parquet::MAGIC);
    if !regular
        || gzip
        || utf16
        || parquet
        || encoding == Encoding::Latin1
        || (encoding == Encoding::Auto && windows_1252_note(&name, &head, n < HEAD).is_some())
        || has_lone_cr(&head, n < HEAD)
        // No LF in 64 KiB: a first line that long, or lines that end otherwise.
        || (n == HEAD && !head.contains(&b'\n'))
    {
        return spool(
            &name,
            &mut std::io::Cursor::new(head).chain(file),
            encoding,
            sheet,
        );
    }
    Ok(Source {
        name,
        path: path.to_path_buf(),
        format: FileFormat::Csv,
        sheet_row: None,
        line_offset: 0,
        note: None,
        delimiter: None,
        other_sheets: Vec::new(),
        left_out: None,
        _spool: None,
    })
}

/// A CSV source with lines above its header: Excel's `sep=X` (written so that Excel
/// splits the file by `X`, then its delimiter), or a report's title (lines of one
/// field, and blank ones, before a line of several, as a sheet's title above its
/// table is skipped): a copy without them, its lines still located as the file's.
fn without_lines_above_header(src: Source, given: Option<u8>) -> Result<Source> {
    // A sheet's copy has its table alone (its titles and footers left out already).
    if src.format != FileFormat::Csv || src.sheet_row.is_some() {
        return Ok(src);
    }
    let name = src.name.clone();
    let cannot = |e: std::io::Error| data_err!("{name}: cannot read: {e}");
    let mut head = vec![0u8; HEAD];
    let n = read_up_to(&mut File::open(&src.path).map_err(cannot)?, &mut head).map_err(cannot)?;
    let bom = usize::from(head.starts_with(b"\xEF\xBB\xBF")) * 3;
    let body = &head[bom..n];
    // Not text (a compressed or binary file): said so by the sniff, as it is.
    if unreadable_kind(body).is_some() || body.contains(&0) {
        return Ok(src);
    }
    // A `sep=` line, then perhaps a title (told by its delimiter).
    let (delimiter, sep) = match separator_line(body) {
        Some((delimiter, bytes)) => (Some(delimiter), (bytes, 1)),
        None => (None, (0, 0)),
    };
    let titles = title_lines(&body[sep.0..], n < head.len(), given.or(delimiter));
    let (bytes, lines) = match (sep, titles) {
        ((b, l), Some((tb, tl))) => (b + tb, l + tl),
        (sep, None) => sep,
    };
    let len = std::fs::metadata(&src.path).map_err(cannot)?.len();
    // DOS's end-of-file mark (0x1A, Ctrl-Z), which old Windows tools still write
    // after the last line: no line of the table.
    let dos_end = len > 0 && last_byte(&src.path, len).map_err(cannot)? == 0x1A;
    let len = len - u64::from(dos_end);
    let footer = footer_lines(&src.path, len, given.or(delimiter)).map_err(cannot)?;
    if bytes == 0 && footer.is_none() && !dos_end {
        return Ok(src);
    }
    let (footer_bytes, footer_lines, footer_text) = footer.unwrap_or_default();
    let mut file = File::open(&src.path).map_err(cannot)?;
    std::io::copy(
        &mut (&mut file).take((bom + bytes) as u64),
        &mut std::io::sink(),
    )
    .map_err(cannot)?;
    let mut tmp = crate::cleanup::temp_file_in(&std::env::temp_dir(), "cxm-input-", ".csv", 0o600)
        .map_err(|e| CxmError::Internal(format!("cannot create a temporary file: {e}")))?;
    let kept = len.saturating_sub((bom + bytes) as u64 + footer_bytes);
    std::io::copy(&mut (&mut file).take(kept), &mut tmp)
        .map_err(|e| CxmError::Internal(format!("{name}: cannot copy: {e}")))?;
    let mut out = Source::spooled(name, tmp, FileFormat::Csv, src.sheet_row);
    out.line_offset = src.line_offset + lines;
    out.note = src.note;
    out.other_sheets = src.other_sheets;
    out.delimiter = delimiter;
    let titled = lines - sep.1;
    let word = |n: u64| if n == 1 { "line" } else { "lines" };
    let shown = |d: u8| crate::text::printable(&(d as char).to_string());
    let mut said: Vec<String> = Vec::new();
    match (delimiter, titled) {
        (Some(d), 0) => said.push(format!(
            "its first line (sep={}) names the delimiter",
            shown(d)
        )),
        (Some(d), t) => said.push(format!(
            "its first line (sep={}) names the delimiter; {t} {} after it (a title) not read",
            shown(d),
            word(t)
        )),
        (None, 0) => {}
        (None, t) => said.push(format!(
            "{t} {} above the header (a title) not read",
            word(t)
        )),
    }
    if dos_end {
        said.push("its DOS end-of-file mark (0x1A) not read".into());
    }
    // A footer is a guess, from its words: said whatever the verbosity, with the line,
    // so that a record taken for one cannot go unseen.
    if footer_lines > 0 {
        let warned = format!(
            "{}: {footer_lines} {} below the table taken for a footer ('{}'), not read",
            out.name,
            word(footer_lines),
            crate::text::value_shown(&footer_text)
        );
        out.note = Some(match out.note.take() {
            Some(note) => format!("{note}; {warned}"),
            None => warned,
        });
    }
    out.left_out = (!said.is_empty()).then(|| said.join("; "));
    Ok(out)
}

/// Lines of one field each (up to three, blank ones among them), each of words,
/// closing a file whose last record before them has several (a report's footer:
/// Chatwoot's `Reporting period …`): their bytes and count. A line holding a quote
/// may end a quoted field that spans lines, so it is never taken for a footer.
fn footer_lines(
    path: &Path,
    len: u64,
    delimiter: Option<u8>,
) -> std::io::Result<Option<(u64, u64, String)>> {
    use std::io::{Seek, SeekFrom};
    const FOOTERS: usize = 3;
    let tail = len.min(TAIL as u64);
    let mut file = File::open(path)?;
    file.seek(SeekFrom::Start(len - tail))?;
    let mut buf = vec![0u8; tail as usize];
    let n = read_up_to(&mut file, &mut buf)?;
    let buf = &buf[..n];
    // The lines of the tail, last first; the first may be cut off, so it is never
    // looked at as a whole line.
    let mut end = buf.len();
    let mut footers = 0;
    let mut lines = 0u64;
    // The footer's lines, last first.
    let mut said: Vec<String> = Vec::new();
    loop {
        let start = match buf[..end].iter().rposition(|&b| b == b'\n') {
            Some(k) => k + 1,
            None => return Ok(None),
        };
        let line = &buf[start..end];
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let blank = line.iter().all(u8::is_ascii_whitespace);
        if !blank && has_delimiter(line, delimiter) {
            let cut = (buf.len() - end) as u64;
            said.reverse();
            return Ok((footers > 0).then_some((cut, lines, said.join(" / "))));
        }
        if !blank {
            // Words (a footer says something: three or more, one of three letters or
            // more), not a record whose writer left out its empty last fields (`2` or
            // `T 3` under `id,created_at,channel`).
            let words = std::str::from_utf8(line).is_ok_and(|l| {
                let words: Vec<&str> = l.split_whitespace().collect();
                !l.chars().any(char::is_control)
                    && words.len() >= 3
                    && words
                        .iter()
                        .any(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 3)
            });
            if line.contains(&b'"') || !words {
                return Ok(None);
            }
            footers += 1;
            said.push(String::from_utf8_lossy(line).trim().to_string());
            if footers > FOOTERS {
                return Ok(None);
            }
        }
        // The line just before this one's start ends at its `\n`.
        if start == 0 {
            return Ok(None);
        }
        end = start - 1;
        lines += u64::from(!blank || footers > 0);
    }
}

fn last_byte(path: &Path, len: u64) -> std::io::Result<u8> {
    use std::io::{Seek, SeekFrom};
    let mut file = File::open(path)?;
    file.seek(SeekFrom::Start(len - 1))?;
    let mut byte = [0u8];
    file.read_exact(&mut byte)?;
    Ok(byte[0])
}

/// `sep=X` (any case) alone on the first line: `X` and the line's length with its end.
fn separator_line(head: &[u8]) -> Option<(u8, usize)> {
    head.get(..4).filter(|p| p.eq_ignore_ascii_case(b"sep="))?;
    let delimiter = *head
        .get(4)
        .filter(|b| b.is_ascii() && !matches!(b, b'\r' | b'\n' | b'"'))?;
    match &head[5..] {
        [b'\n', ..] => Some((delimiter, 6)),
        [b'\r', b'\n', ..] => Some((delimiter, 7)),
        [] | [b'\r'] => Some((delimiter, head.len())),
        _ => None,
    }
}

/// Title lines atop `head` (the file's first bytes; `whole`: all of it): up to three
/// lines of one field each, with blank lines among and after them, then a header of
/// two fields or more. Their bytes and count.
fn title_lines(head: &[u8], whole: bool, delimiter: Option<u8>) -> Option<(usize, u64)> {
    const TITLES: usize = 3;
    let (mut at, mut lines, mut titles) = (0, 0, 0);
    loop {
        // A line cut off by the end of `head` says nothing.
        let end = match head[at..].iter().position(|&b| b == b'\n') {
            Some(k) => at + k,
            None if whole => head.len(),
            None => return None,
        };
        let line = head[at..end].strip_suffix(b"\r").unwrap_or(&head[at..end]);
        // A title is text: bytes that are not (a binary file's) are no title.
        let text = std::str::from_utf8(line)
            .is_ok_and(|l| !l.chars().any(|c| c.is_control() && c != '\t'));
        if !text {
            return None;
        }
        let blank = line.iter().all(u8::is_ascii_whitespace);
        if !blank && has_delimiter(line, delimiter) {
            return (titles > 0 && (end < head.len() || whole)).then_some((at, lines));
        }
        if !blank {
            titles += 1;
            if titles > TITLES {
                return None;
            }
        }
        if end >= head.len() {
            return None;
        }
        at = end + 1;
        lines += 1;
    }
}

/// Does a line hold the delimiter (`given`, else any of `,` `;` tab `|`) outside
/// quotes?
fn has_delimiter(line: &[u8], given: Option<u8>) -> bool {
    let mut quoted = false;
    line.iter().any(|&b| {
        if b == b'"' {
            quoted = !quoted;
        }
        !quoted
            && match given {
                Some(d) => b == d,
                None => matches!(b, b',' | b';' | b'\t' | b'|'),
            }
    })
}

/// What a file that is not text is, by its first bytes, said so rather than read as
/// text that is not UTF-8 (whose hint to try Latin-1 would mislead).
fn unreadable_kind(head: &[u8]) -> Option<String> {
    let compressed = [
        (&b"BZh"[..], "bzip2", "bunzip2"),
        (&b"\xFD7zXZ\x00"[..], "xz", "unxz"),
        (&b"\x28\xB5\x2F\xFD"[..], "zstd", "unzstd"),
        (&b"7z\xBC\xAF\x27\x1C"[..], "7-Zip", "7z x"),
    ];
    if let Some((_, kind, tool)) = compressed
        .iter()
        .find(|(magic, ..)| head.starts_with(magic))
    {
        return Some(format!(
            "compressed with {kind}, which cxm does not read (gzip it reads): decompress it first ({tool})"
        ));
    }
    // UTF-16 without its byte-order mark: a NUL byte beside every ASCII character.
    let pairs = head.len().min(512) / 2;
    let nul_at = |odd: usize| (0..pairs).filter(|i| head[2 * i + odd] == 0).count();
    if pairs >= 4 && (nul_at(0) * 10 >= pairs * 9 || nul_at(1) * 10 >= pairs * 9) {
        let order = if nul_at(1) > nul_at(0) { "LE" } else { "BE" };
        return Some(format!(
            "looks like UTF-16{order} text without a byte-order mark (a NUL byte beside each character): re-save it as UTF-8, or as UTF-16 with its mark"
        ));
    }
    None
}

/// How much of a file is looked at before deciding how to read it.
const HEAD: usize = 64 * 1024;
/// The last bytes of a file looked at for a footer.
const TAIL: usize = 4 * 1024;

/// Does a CR outside quotes end a line without a LF after it? `complete`: `head` is
/// the whole file, so a CR at its very end is a line end too.
fn has_lone_cr(head: &[u8], complete: bool) -> bool {
    let mut quoted = false;
    for (i, &b) in head.iter().enumerate() {
        match b {
            b'"' => quoted = !quoted,
            b'\r' if !quoted => match head.get(i + 1) {
                Some(b'\n') => {}
                Some(_) => return true,
                None => return complete,
            },
            _ => {}
        }
    }
    false
}

/// Line ends outside quotes as `\n`: CRLF and a lone CR alike. Quotes are counted
/// the way the CSV readers count them (every `"` toggles), so a CR inside a quoted
/// field is kept, except in a file whose lines end with a lone CR (as its first 64 KiB
/// show, [`has_lone_cr`]): there a quoted CR is a line break like the others, and
/// becomes `\n` too, so that the spool's lines are the file's lines (rejects are
/// located by them).
struct LineEnds<R> {
    inner: R,
    /// The first bytes, read to decide `cr_lines`, not yet passed on.
    head: Option<std::io::Cursor<Vec<u8>>>,
    quoted: bool,
    /// The last byte was a CR turned into `\n`: a LF right after it is dropped.
    after_cr: bool,
    cr_lines: bool,
    /// Lines written (quoted line breaks too), the line the current record starts
    /// on, and its bytes so far (bounded by the record limit).
    lines: u64,
    start: u64,
    record: usize,
}

impl<R: Read> LineEnds<R> {
    fn new(inner: R) -> LineEnds<R> {
        LineEnds {
            inner,
            head: None,
            quoted: false,
            after_cr: false,
            cr_lines: false,
            lines: 0,
            start: 1,
            record: 0,
        }
    }

    /// Bytes of the head first, then of the inner reader; the head is read (and
    /// `cr_lines` decided) on the first call.
    fn read_raw(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if self.head.is_none() {
            let mut head = vec![0u8; HEAD];
            let n = read_up_to(&mut self.inner, &mut head)?;
            head.truncate(n);
            // A CR at the very end alone (a stray byte after an LF file's last line)
            // does not make the file's lines CR-ended.
            self.cr_lines = has_lone_cr(&head, false);
            self.head = Some(std::io::Cursor::new(head));
        }
        match self.head.as_mut().map(|h| h.read(out)) {
            Some(Ok(n)) if n > 0 => Ok(n),
            _ => self.inner.read(out),
        }
    }
}

impl<R: Read> Read for LineEnds<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        loop {
            let n = self.read_raw(out)?;
            if n == 0 {
                return Ok(0);
            }
            let mut w = 0;
            for r in 0..n {
                let mut b = out[r];
                if std::mem::take(&mut self.after_cr) && b == b'\n' {
                    continue;
                }
                match b {
                    b'"' => self.quoted = !self.quoted,
                    b'\r' if !self.quoted || self.cr_lines => {
                        b = b'\n';
                        self.after_cr = true;
                    }
                    _ => {}
                }
                if b == b'\n' {
                    self.lines += 1;
                }
                if b == b'\n' && !self.quoted {
                    self.start = self.lines + 1;
                    self.record = 0;
                } else {
                    self.record += 1;
                    if self.record > super::max_record_bytes() {
                        return Err(super::record_too_long(self.start));
                    }
                }
                out[w] = b;
                w += 1;
            }
            if w > 0 {
                return Ok(w);
            }
        }
    }
}

/// The character encoding of the input files (`--encoding`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    /// UTF-8, unless a file's first 64 KiB hold bytes that are not UTF-8 and no
    /// character of UTF-8 beyond ASCII: then Windows-1252 (Excel's "ANSI" CSV), said
    /// in a warning.
    #[default]
    Auto,
    /// UTF-8 only: bytes that are not UTF-8 stop the run.
    Utf8,
    /// ISO-8859-1 (each byte is the code point of the same number), read as Windows-1252
    /// where the two differ (0x80–0x9F), as browsers read it: files saved as "Latin-1"
    /// or Excel's "ANSI" hold `€` (0x80) and curly quotes there, never control codes.
    Latin1,
}

/// Windows-1252's characters for 0x80–0x9F; the five bytes it leaves undefined keep
/// their Latin-1 code points.
const WINDOWS_1252: [char; 32] = [
    '\u{20ac}', '\u{81}', '\u{201a}', '\u{192}', '\u{201e}', '\u{2026}', '\u{2020}', '\u{2021}',
    '\u{2c6}', '\u{2030}', '\u{160}', '\u{2039}', '\u{152}', '\u{8d}', '\u{17d}', '\u{8f}',
    '\u{90}', '\u{2018}', '\u{2019}', '\u{201c}', '\u{201d}', '\u{2022}', '\u{2013}', '\u{2014}',
    '\u{2dc}', '\u{2122}', '\u{161}', '\u{203a}', '\u{153}', '\u{9d}', '\u{17e}', '\u{178}',
];

/// A Latin-1 (Windows-1252) byte's character.
fn latin1_char(b: u8) -> char {
    match b {
        0x80..=0x9f => WINDOWS_1252[usize::from(b - 0x80)],
        b => char::from(b),
    }
}

/// Latin-1 bytes as UTF-8, streamed.
struct Latin1ToUtf8<R> {
    inner: R,
    pending: Vec<u8>,
    /// For a file told Windows-1252 by its start: where UTF-8 shows later.
    watch: Option<Rc<RefCell<Utf8Watch>>>,
}

impl<R: Read> Read for Latin1ToUtf8<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if self.pending.is_empty() {
            let mut raw = vec![0u8; out.len().max(3) / 3];
            let n = self.inner.read(&mut raw)?;
            if let Some(watch) = &self.watch {
                watch.borrow_mut().scan(&raw[..n]);
            }
            for &b in &raw[..n] {
                let mut buf = [0u8; 3];
                self.pending
                    .extend_from_slice(latin1_char(b).encode_utf8(&mut buf).as_bytes());
            }
        }
        let n = self.pending.len().min(out.len());
        out[..n].copy_from_slice(&self.pending[..n]);
        self.pending.drain(..n);
        Ok(n)
    }
}

/// The first UTF-8 character in a file read as Windows-1252 because its start is: a
/// file of mixed encodings (rows appended by another tool), whose text would
/// otherwise read garbled (`Ã‰quipe`) without a word.
#[derive(Default)]
struct Utf8Watch {
    line: u64,
    after_cr: bool,
    /// The start of a character cut by the end of the last read.
    cut: Vec<u8>,
    found: Option<String>,
}

/// The length of the UTF-8 character that lead byte `b` starts.
fn utf8_len(b: u8) -> usize {
    match b {
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        _ => 4,
    }
}

impl Utf8Watch {
    fn scan(&mut self, bytes: &[u8]) {
        if self.found.is_some() {
            return;
        }
        if let Some(&lead) = self.cut.first() {
            let mut seq = std::mem::take(&mut self.cut);
            let rest = utf8_len(lead) - seq.len();
            seq.extend(bytes.iter().take(rest));
            match seq.len() == utf8_len(lead) {
                true => self.judge(&seq),
                false => self.cut = seq,
            }
            if self.found.is_some() {
                return;
            }
        }
        for (i, &b) in bytes.iter().enumerate() {
            match b {
                b'\n' if self.after_cr => self.after_cr = false,
                b'\n' | b'\r' => {
                    self.line += 1;
                    self.after_cr = b == b'\r';
                }
                0xC2..=0xF4 => {
                    self.after_cr = false;
                    match bytes.get(i..i + utf8_len(b)) {
                        Some(seq) => self.judge(seq),
                        None => self.cut = bytes[i..].to_vec(),
                    }
                    if self.found.is_some() {
                        return;
                    }
                }
                _ => self.after_cr = false,
            }
        }
    }

    /// Note `seq` (a lead byte and what follows it) if it is a UTF-8 character.
    fn judge(&mut self, seq: &[u8]) {
        if let Ok(utf8) = std::str::from_utf8(seq) {
            let garbled: String = seq.iter().map(|&b| latin1_char(b)).collect();
            self.found = Some(format!(
                "line {} holds '{utf8}' written as UTF-8, read as '{}' since the file is read as Windows-1252: a file of mixed encodings? Re-save it in one",
                self.line + 1,
                crate::text::value_shown(&garbled)
            ));
        }
    }
}

/// UTF-16 (after its byte-order mark) as UTF-8, streamed.
struct Utf16ToUtf8<R> {
    inner: R,
    big_endian: bool,
    /// Bytes read but not decoded yet: an odd byte, or a high surrogate.
    undecoded: Vec<u8>,
    decoded: Vec<u8>,
    pos: usize,
}

impl<R: Read> Utf16ToUtf8<R> {
    fn new(inner: R, big_endian: bool) -> Utf16ToUtf8<R> {
        Utf16ToUtf8 {
            inner,
            big_endian,
            undecoded: Vec::new(),
            decoded: Vec::new(),
            pos: 0,
        }
    }
}

impl<R: Read> Read for Utf16ToUtf8<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let invalid = || {
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                "not valid UTF-16 (the file starts with a UTF-16 byte-order mark)",
            )
        };
        while self.pos == self.decoded.len() {
            self.decoded.clear();
            self.pos = 0;
            let mut chunk = [0u8; 64 * 1024];
            let n = self.inner.read(&mut chunk)?;
            if n == 0 {
                return if self.undecoded.is_empty() {
                    Ok(0)
                } else {
                    Err(invalid())
                };
            }
            self.undecoded.extend_from_slice(&chunk[..n]);
            let units: Vec<u16> = self
                .undecoded
                .chunks_exact(2)
                .map(|c| {
                    let pair = [c[0], c[1]];
                    if self.big_endian {
                        u16::from_be_bytes(pair)
                    } else {
                        u16::from_le_bytes(pair)
                    }
                })
                .collect();
            let mut take = units.len();
            if units.last().is_some_and(|u| (0xD800..0xDC00).contains(u)) {
                take -= 1; // its low half comes with the next read
            }
            for c in char::decode_utf16(units[..take].iter().copied()) {
                let c = c.map_err(|_| invalid())?;
                let mut buf = [0u8; 4];
                self.decoded
                    .extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
            self.undecoded.drain(..take * 2);
        }
        let n = (self.decoded.len() - self.pos).min(out.len());
        out[..n].copy_from_slice(&self.decoded[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

/// A zip archive that is no workbook (a zipped CSV: its parts not found) is named
/// for what it is; a damaged one keeps its reader's word.
fn not_a_workbook(e: CxmError, name: &str) -> CxmError {
    match e {
        CxmError::Data(m)
            if m.contains("cannot read as an Excel workbook") && m.contains("File not found") =>
        {
            data_err!(
                "{name}: a zip archive that is not an Excel workbook (a zipped CSV? unzip it first)"
            )
        }
        e => e,
    }
}

/// Copy a stream (decompressing gzip, transcoding to UTF-8) into a temporary file.
fn spool(
    name: &str,
    reader: &mut dyn Read,
    encoding: Encoding,
    sheet: Option<&str>,
) -> Result<Source> {
    let mut head = [0u8; 4];
    let n = read_up_to(reader, &mut head).map_err(|e| data_err!("{name}: cannot read: {e}"))?;
    let mut chained: Box<dyn Read + '_> = Box::new(head[..n].chain(reader));
    if head[..n.min(2)] == GZIP_MAGIC {
        let mut plain = flate2::read::MultiGzDecoder::new(BufReader::new(chained));
        let mut inner = [0u8; 4];
        let k = read_up_to(&mut plain, &mut inner)
            .map_err(|e| data_err!("{name}: cannot read: {e}"))?;
        let mut unzipped = std::io::Cursor::new(inner[..k].to_vec()).chain(plain);
        // A gzip of a Parquet file, a workbook or a gzip (`t.parquet.gz`) is read
        // as what it holds.
        let held = [&super::parquet::MAGIC[..], &super::excel::ZIP_MAGIC[..]];
        if held.contains(&&inner[..k]) || inner[..k.min(2)] == GZIP_MAGIC {
            return spool(name, &mut unzipped, encoding, sheet);
        }
        chained = Box::new(unzipped);
    }
    // A workbook (`cat book.xlsx | cxm tickets -`): copied as it is, then read as a
    // workbook file is.
    if head[..n] == super::excel::ZIP_MAGIC[..] {
        let mut book =
            crate::cleanup::temp_file_in(&std::env::temp_dir(), "cxm-input-", ".xlsx", 0o600)
                .map_err(|e| CxmError::Internal(format!("cannot create a temporary file: {e}")))?;
        std::io::copy(&mut chained, &mut book)
            .map_err(|e| data_err!("{name}: cannot read: {e}"))?;
        return super::excel::spool(book.path(), name, sheet).map_err(|e| not_a_workbook(e, name));
    }
    // Private: a spool is a copy of the user's data.
    let mut tmp = crate::cleanup::temp_file_in(&std::env::temp_dir(), "cxm-input-", ".csv", 0o600)
        .map_err(|e| CxmError::Internal(format!("cannot create a temporary file: {e}")))?;
    // Parquet is copied as it is: it is read from the copy by random access.
    let format = if head[..n] == super::parquet::MAGIC[..] {
        FileFormat::Parquet
    } else {
        FileFormat::Csv
    };
    let (mut told, mut watch) = (None, None);
    let mut body: Box<dyn Read + '_> = match format {
        FileFormat::Parquet => Box::new(chained),
        FileFormat::Csv => {
            let utf8;
            (utf8, told, watch) = as_utf8(name, chained, encoding)?;
            Box::new(LineEnds::new(std::io::BufReader::with_capacity(
                1 << 20,
                utf8,
            )))
        }
    };
    let mut writer = std::io::BufWriter::new(&mut tmp);
    std::io::copy(&mut body, &mut writer).map_err(|e| {
        if e.kind() == std::io::ErrorKind::StorageFull {
            CxmError::Internal(format!("{name}: cannot copy to a temporary file: {e}"))
        } else {
            data_err!("{name}: cannot read: {e}")
        }
    })?;
    writer
        .flush()
        .map_err(|e| CxmError::Internal(format!("{name}: cannot copy to a temporary file: {e}")))?;
    drop(writer);
    drop(body);
    let mut source = Source::spooled(name.to_string(), tmp, format, None);
    let mixed = watch.and_then(|w| w.borrow_mut().found.take());
    source.note = match (told, mixed) {
        (Some(told), Some(mixed)) => Some(format!("{told}; {name}: {mixed}")),
        (None, Some(mixed)) => Some(format!("{name}: {mixed}")),
        (told, None) => told,
    };
    Ok(source)
}

/// A CSV stream (gunzipped) as UTF-8: transcoded from UTF-16 (by its byte-order
/// mark, whatever `encoding` says) or Latin-1 (unless a UTF-8 mark says otherwise),
/// with the note that says so when Latin-1 was told by the bytes (and what shows
/// UTF-8 later, known once the stream is read).
#[allow(clippy::type_complexity)]
fn as_utf8<'a>(
    name: &str,
    stream: impl Read + 'a,
    encoding: Encoding,
) -> Result<(
    Box<dyn Read + 'a>,
    Option<String>,
    Option<Rc<RefCell<Utf8Watch>>>,
)> {
    let mut plain: Box<dyn Read + 'a> = Box::new(stream);
    let mut mark = [0u8; 3];
    let m = read_up_to(&mut plain, &mut mark).map_err(|e| data_err!("{name}: cannot read: {e}"))?;
    let utf16 = match (m >= 2, [mark[0], mark[1]]) {
        (true, [0xFF, 0xFE]) => Some(false),
        (true, [0xFE, 0xFF]) => Some(true),
        _ => None,
    };
    // A UTF-8 byte order mark says the file is UTF-8, whatever `--encoding` says (one
    // `--encoding latin1` given for several files).
    let utf8_mark = m == 3 && mark == [0xEF, 0xBB, 0xBF];
    let plain: Box<dyn Read + 'a> = match utf16 {
        Some(big_endian) => Box::new(Utf16ToUtf8::new(
            std::io::Cursor::new(mark[2..m].to_vec()).chain(plain),
            big_endian,
        )),
        None => Box::new(std::io::Cursor::new(mark[..m].to_vec()).chain(plain)),
    };
    let mut plain = plain;
    let mut note = None;
    let latin1 = match encoding {
        _ if utf16.is_some() || utf8_mark => false,
        Encoding::Utf8 => false,
        Encoding::Latin1 => true,
        Encoding::Auto => {
            let mut head = vec![0u8; HEAD];
            let n = read_up_to(&mut plain, &mut head)
                .map_err(|e| data_err!("{name}: cannot read: {e}"))?;
            head.truncate(n);
            note = windows_1252_note(name, &head, n < HEAD);
            plain = Box::new(std::io::Cursor::new(head).chain(plain));
            note.is_some()
        }
    };
    // Read as Windows-1252, told or given: UTF-8 found in it is said.
    let watch = latin1.then(|| Rc::new(RefCell::new(Utf8Watch::default())));
    let utf8: Box<dyn Read + 'a> = match latin1 {
        true => Box::new(Latin1ToUtf8 {
            inner: plain,
            pending: Vec::new(),
            watch: watch.clone(),
        }),
        false => plain,
    };
    Ok((utf8, note, watch))
}

/// When the start of a file (`whole`: the file itself) holds bytes that are not
/// UTF-8 and no character of UTF-8 beyond ASCII, it is Windows-1252 (Excel's "ANSI"
/// CSV, most CSVs of Western Europe that are not UTF-8): the warning that says so,
/// naming the first such line and how it reads. A start that mixes characters of
/// UTF-8 with other bytes is left to stop as not UTF-8, and one with control bytes
/// (binary, compressed, UTF-16 without its mark) to be named for what it is.
fn windows_1252_note(name: &str, head: &[u8], whole: bool) -> Option<String> {
    // DOS's end-of-file mark closing the file is no sign of a binary file.
    let head = match whole {
        true => head.strip_suffix(&[0x1A]).unwrap_or(head),
        false => head,
    };
    if head
        .iter()
        .any(|&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r'))
    {
        return None;
    }
    // A character cut off by the end of the start is not judged.
    let head = match whole {
        true => head,
        false => {
            let cut = (head.iter().rev().take(3))
                .take_while(|&&b| b >= 0x80)
                .count();
            &head[..head.len() - cut]
        }
    };
    let mut first_bad = None;
    let mut at = 0;
    for chunk in head.utf8_chunks() {
        if !chunk.valid().is_ascii() {
            return None;
        }
        at += chunk.valid().len();
        if !chunk.invalid().is_empty() && first_bad.is_none() {
            first_bad = Some(at);
        }
        at += chunk.invalid().len();
    }
    let bad = first_bad?;
    // Lines end in LF, CR LF or a lone CR (old Mac exports).
    let before = &head[..bad];
    let line = 1
        + before.iter().filter(|&&b| b == b'\n').count()
        + before
            .windows(2)
            .filter(|w| w[0] == b'\r' && w[1] != b'\n')
            .count()
        + usize::from(before.last() == Some(&b'\r'));
    // The word holding the first such byte, up to 20 characters either side of it.
    let apart = |b: &u8| b.is_ascii_whitespace() || matches!(b, b',' | b';' | b'\t' | b'|' | b'"');
    let starts = (before.iter().rposition(apart))
        .map_or(0, |i| i + 1)
        .max(bad.saturating_sub(20));
    let ends = (head[bad..].iter().position(apart))
        .map_or(head.len(), |i| bad + i)
        .min(bad + 20);
    let word: String = head[starts..ends].iter().map(|&b| latin1_char(b)).collect();
    Some(format!(
        "{name}: not UTF-8, so read as Windows-1252 (Latin-1): line {line} reads '{}'; give --encoding if the file is in another encoding",
        crate::text::value_shown(&word)
    ))
}

fn read_up_to(r: &mut dyn Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match r.read(&mut buf[filled..])? {
            0 => break,
            k => filled += k,
        }
    }
    Ok(filled)
}

/// The header, delimiter and first rows of a source.
#[derive(Debug, Clone)]
pub struct Sniffed {
    pub headers: Vec<String>,
    pub delimiter: u8,
    /// The first data rows, for format detection and `inspect`.
    pub sample: Vec<csv::StringRecord>,
}

impl Sniffed {
    /// The sampled rows the metrics will read: not a ragged one (a value beyond the
    /// header), which is rejected whole and so has no say in how a column is read
    /// (its decimal comma, day/month order, scale).
    pub fn rows(&self) -> impl Iterator<Item = &csv::StringRecord> {
        let width = self.headers.len();
        self.sample.iter().filter(move |r| !is_ragged(r, width))
    }
}

/// Does this record hold a field beyond the header's `width`? Its first extra field
/// read as the reader reads it (blank or spaces, `null` and `NULL` are nothing).
pub fn is_ragged(record: &csv::StringRecord, width: usize) -> bool {
    record
        .get(width)
        .is_some_and(|extra| !(extra.trim().is_empty() || matches!(extra, "null" | "NULL")))
}

/// Pick the delimiter that occurs most often outside quotes in the header line.
fn detect_delimiter(first_line: &[u8]) -> u8 {
    let mut counts = [0usize; 4];
    let candidates = [b',', b';', b'\t', b'|'];
    let mut quoted = false;
    for &b in first_line {
        if b == b'"' {
            quoted = !quoted;
        } else if !quoted {
            if let Some(i) = candidates.iter().position(|&c| c == b) {
                counts[i] += 1;
            }
        }
    }
    let best = (0..4)
        .max_by_key(|&i| (counts[i], std::cmp::Reverse(i)))
        .unwrap_or(0);
    if counts[best] == 0 {
        b','
    } else {
        candidates[best]
    }
}

/// `src` without the `skip` records that follow its header (an export's extra header
/// rows), as a private copy: the header's bytes, then the file's own bytes from the
/// first record kept, so every other record is as it was, `line_offset` lines up.
pub fn without_records(src: Source, delimiter: u8, skip: usize) -> Result<Source> {
    with_header(src, delimiter, None, skip)
}

/// [`without_records`], with `header` (when given) written in place of the file's.
pub fn with_header(
    src: Source,
    delimiter: u8,
    header: Option<&[String]>,
    skip: usize,
) -> Result<Source> {
    if (skip == 0 && header.is_none()) || src.format != FileFormat::Csv {
        return Ok(src);
    }
    let name = src.name.clone();
    let bytes = std::fs::read(&src.path).map_err(|e| data_err!("{name}: cannot read: {e}"))?;
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes.as_slice());
    let mut record = csv::ByteRecord::new();
    // The header (blank lines before it are not records).
    let read = |r: &mut csv::Reader<&[u8]>, rec: &mut csv::ByteRecord| {
        r.read_byte_record(rec)
            .map_err(|e| data_err!("{name}: cannot read: {e}"))
    };
    read(&mut reader, &mut record)?;
    // A record ended by CRLF leaves its LF to the next read: past it, so the copy
    // does not hold it as a line of its own.
    let line_end = |p: &csv::Position| -> (usize, u64) {
        let at = p.byte() as usize;
        match at > 0 && bytes.get(at - 1) == Some(&b'\r') && bytes.get(at) == Some(&b'\n') {
            true => (at + 1, p.line() + 1),
            false => (at, p.line()),
        }
    };
    let header_end = line_end(reader.position());
    for _ in 0..skip {
        read(&mut reader, &mut record)?;
    }
    let kept = line_end(reader.position());
    let mut tmp = crate::cleanup::temp_file_in(&std::env::temp_dir(), "cxm-input-", ".csv", 0o600)
        .map_err(|e| CxmError::Internal(format!("cannot create a temporary file: {e}")))?;
    let written;
    let head = match header {
        // One line: names with line breaks would shift every location.
        Some(names) => {
            let mut w = csv::WriterBuilder::new()
                .delimiter(delimiter)
                .from_writer(Vec::new());
            w.write_record(names.iter().map(|n| n.replace(['\r', '\n'], " ")))
                .map_err(|e| CxmError::Internal(format!("{name}: cannot copy: {e}")))?;
            written = w
                .into_inner()
                .map_err(|e| CxmError::Internal(format!("{name}: cannot copy: {e}")))?;
            &written[..]
        }
        None => &bytes[..header_end.0],
    };
    let rest = &bytes[kept.0..];
    let mut write = |b: &[u8]| {
        tmp.write_all(b)
            .map_err(|e| CxmError::Internal(format!("{name}: cannot copy: {e}")))
    };
    write(head)?;
    if !head.ends_with(b"\n") {
        write(b"\n")?;
    }
    write(rest)?;
    let mut out = Source::spooled(name, tmp, FileFormat::Csv, None);
    // The line the first record starts on, here and in the original.
    let first_here = match header {
        Some(_) => 2,
        None => header_end.1,
    };
    out.line_offset = src.line_offset + kept.1.saturating_sub(first_here);
    // A sheet's records are its rows, one each: the header moves down past those left out.
    out.sheet_row = src.sheet_row.map(|row| row + skip as u64);
    out.note = src.note.clone();
    out.other_sheets = src.other_sheets.clone();
    out.left_out = src.left_out.clone();
    Ok(out)
}

/// Read the header and up to `sample_rows` records.
pub fn sniff(src: &Source, delimiter: Option<u8>, sample_rows: usize) -> Result<Sniffed> {
    if src.format == FileFormat::Parquet {
        return super::parquet::sniff(src, sample_rows);
    }
    let mut file =
        File::open(&src.path).map_err(|e| data_err!("{}: cannot open: {e}", src.name))?;
    let mut head = vec![0u8; 64 * 1024];
    let n = read_up_to(&mut file, &mut head)
        .map_err(|e| data_err!("{}: cannot read: {e}", src.name))?;
    head.truncate(n);
    let body = head
        .strip_prefix(b"\xEF\xBB\xBF".as_slice())
        .unwrap_or(&head);
    if body.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(data_err!(
            "{}: the file is empty (no header line)",
            src.name
        ));
    }
    // A workbook is read by its `.xlsx` name; as text it would be bytes that are not
    // UTF-8, and the hint to try Latin-1 would mislead.
    if body.starts_with(b"PK\x03\x04") {
        return Err(data_err!(
            "{}: a zip archive, not CSV text (a zipped CSV? unzip it first)",
            src.name
        ));
    }
    if let Some(what) = unreadable_kind(body) {
        return Err(data_err!("{}: {what}", src.name));
    }
    let first_line = body.split(|&b| b == b'\n').next().unwrap_or(body);
    // A sheet's copy is written with commas, whatever `--delimiter` says of the CSVs.
    let delimiter = match src.sheet_row {
        Some(_) => b',',
        None => (delimiter.or(src.delimiter)).unwrap_or_else(|| detect_delimiter(first_line)),
    };
    // A stray quote in the header (`size 12"`) would have the block reader take the
    // whole file for the header: zero rows, no error.
    if let Ok(Some(quote)) = super::records::misplaced_quote_in(first_line, delimiter) {
        let what = match quote.inside {
            true => "a quote inside a column name that does not start with one",
            false => "text after a quoted column name's closing quote",
        };
        return Err(data_err!(
            "{}:1: {what} (column {}); readers split such a header differently: write the name in quotes, each quote in it doubled (\"a\"\"b\")",
            src.name,
            quote.field + 1
        ));
    }

    // The sample is a look, not a read: at most one record's limit past the head.
    let cap = (super::max_record_bytes() + HEAD) as u64;
    let file = File::open(&src.path).map_err(|e| data_err!("{}: cannot open: {e}", src.name))?;
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(BufReader::new(file.take(cap)));
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| csv_error(&src.name, &src.path, e))?
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').to_string())
        .collect();
    if reader.position().byte() >= cap {
        return Err(data_err!("{}: {}", src.name, super::record_too_long(1)));
    }
    let mut sample = Vec::new();
    for record in reader.records().take(sample_rows) {
        // The earliest cause in the file, not the first the CSV reader trips on (a
        // stray quote runs its record on to a later line's bad byte).
        let record = record.map_err(|e| {
            match super::records::read_problem(&src.path, &src.name, delimiter, &headers) {
                Some(cause) => data_err!("{cause}"),
                None => csv_error(&src.name, &src.path, e),
            }
        })?;
        sample.push(record);
    }
    if reader.position().byte() >= cap {
        sample.pop(); // cut short by the cap
    }
    Ok(Sniffed {
        headers,
        delimiter,
        sample,
    })
}

/// A csv-crate error as a data error naming file and line.
pub fn csv_error(name: &str, path: &Path, e: csv::Error) -> CxmError {
    let line = e
        .position()
        .map(|p| format!(":{}", p.line()))
        .unwrap_or_default();
    match e.kind() {
        csv::ErrorKind::Utf8 { .. } => data_err!("{}", not_utf8(&format!("{name}{line}"), path)),
        _ => data_err!("{name}{line}: {e}"),
    }
}

/// Bytes that are not UTF-8 at `at` (`file:line`) of the file at `path`, and the way
/// out: `--encoding latin1`, unless the file starts with UTF-8's byte-order mark,
/// which makes it UTF-8 whatever `--encoding` says.
pub fn not_utf8(at: &str, path: &Path) -> String {
    let mut start = [0u8; 3];
    let marked = File::open(path)
        .and_then(|mut f| f.read_exact(&mut start))
        .is_ok()
        && start == *b"\xEF\xBB\xBF";
    match marked {
        true => format!(
            "{at}: bytes that are not valid UTF-8 in a file that starts with UTF-8's byte-order mark (so read as UTF-8, whatever --encoding says); re-save it in one encoding"
        ),
        false => format!(
            "{at}: bytes that are not valid UTF-8; give --encoding latin1 if the file is Latin-1 (ISO-8859-1), or re-save it as UTF-8"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A footer is the last lines of words without a delimiter, after a record of
    /// several fields: its bytes (from the last record's line end) and lines. A
    /// record short of its empty fields, a quoted field's last line, a one-column
    /// file and four such lines are no footer.
    #[test]
    fn footers_are_lines_of_words_after_the_table() {
        let footer = |text: &[u8]| {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("f.csv");
            std::fs::write(&path, text).unwrap();
            footer_lines(&path, text.len() as u64, None).unwrap()
        };
        let tail = b"\nReporting period 2025-03-01 to 2025-03-31\n";
        let file = [&b"a,b\n1,2"[..], tail].concat();
        let period = "Reporting period 2025-03-01 to 2025-03-31".to_string();
        assert_eq!(footer(&file), Some((tail.len() as u64, 1, period)));
        // A blank line between, CRLF, no final line end: cut from the record's LF
        // (its CR, kept, ends it as well).
        let tail = b"\r\n\r\nTotal rows 2\r\nExported by Ann";
        let file = [&b"a;b\r\n1;2"[..], tail].concat();
        let total = "Total rows 2 / Exported by Ann".to_string();
        assert_eq!(footer(&file), Some((tail.len() as u64 - 1, 3, total)));
        assert_eq!(footer(b"a,b\n1,2\n"), None);
        assert_eq!(footer(b"id,comment\n1,x\n2\n"), None);
        assert_eq!(
            footer(b"id,created_at,channel\nT 1,2025-01-01,email\nT 3\n"),
            None
        );
        assert_eq!(
            footer(b"id,name,channel\n1,Ann,email\n2 Jane Doe\n"),
            Some((12, 1, "2 Jane Doe".into()))
        );
        assert_eq!(footer(b"id,comment\n1,\"two\nlines in a cell\"\n"), None);
        assert_eq!(footer(b"note\nsome words\nmore words\n"), None);
        let four = b"a,b\n1,2\nsaid one line\nsaid two lines\nsaid three lines\nsaid four lines\n";
        assert_eq!(footer(four), None);
    }

    #[test]
    fn delimiter_detection_ignores_quoted_text() {
        assert_eq!(detect_delimiter(b"a,b,c"), b',');
        assert_eq!(detect_delimiter(b"a;b;c"), b';');
        assert_eq!(detect_delimiter(b"a\tb\tc"), b'\t');
        assert_eq!(detect_delimiter(b"\"x;y;z\",b,c"), b',');
        assert_eq!(detect_delimiter(b"single"), b',');
    }

    fn through_line_ends(bytes: &[u8], chunk: usize) -> Vec<u8> {
        // A reader that hands out `chunk` bytes at a time, to cross every boundary.
        struct Trickle<'a>(&'a [u8], usize);
        impl Read for Trickle<'_> {
            fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
                let n = self.0.len().min(self.1).min(out.len());
                out[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let mut out = Vec::new();
        LineEnds::new(Trickle(bytes, chunk))
            .read_to_end(&mut out)
            .unwrap();
        out
    }

    #[test]
    fn line_ends_become_lf_outside_quotes() {
        // Lines ending in CR LF (or LF): a CR inside quotes is the field's own.
        let input = b"a,b\r\n1,\"x\ry\"\r\n2,3\n4,5\r\n";
        let want = b"a,b\n1,\"x\ry\"\n2,3\n4,5\n";
        for chunk in 1..=input.len() {
            assert_eq!(through_line_ends(input, chunk), want, "chunk {chunk}");
        }
        // Lines ending in a lone CR: a CR inside quotes is a line break too (as is a
        // CR LF there), so that the spool has the file's lines.
        let input = b"a,b\r1,\"x\ry\r\nz\"\r2,3\n4,5\r";
        let want = b"a,b\n1,\"x\ny\nz\"\n2,3\n4,5\n";
        for chunk in 1..=input.len() {
            assert_eq!(through_line_ends(input, chunk), want, "chunk {chunk}");
        }
        // Also a quoted CR before the first line end (in the header), and a header
        // ending CR LF before lone CRs.
        let input = b"a,\"b\rc\"\r1,2\r";
        assert_eq!(through_line_ends(input, 3), b"a,\"b\nc\"\n1,2\n");
        let input = b"a,b\r\n1,\"x\ry\"\r2,3\r";
        assert_eq!(through_line_ends(input, 3), b"a,b\n1,\"x\ny\"\n2,3\n");
        // An LF file with a stray CR at its very end keeps its quoted CRs.
        let input = b"a,b\n1,\"x\ry\"\n2,3\n\r";
        assert_eq!(through_line_ends(input, 3), b"a,b\n1,\"x\ry\"\n2,3\n\n");
    }

    #[test]
    fn lone_cr_found_outside_quotes_only() {
        assert!(has_lone_cr(b"a,b\r1,2\r", true));
        assert!(has_lone_cr(b"a,b\r\n1,2\r3,4", false));
        assert!(!has_lone_cr(b"a,b\r\n1,2\r\n", true));
        assert!(!has_lone_cr(b"a,b\n1,\"x\ry\"\n", true));
        // A CR that ends the head of a longer file may be followed by a LF.
        assert!(!has_lone_cr(b"a,b\r\n1,2\r", false));
        assert!(has_lone_cr(b"a,b\r\n1,2\r", true));
    }

    #[test]
    fn compressed_and_markless_utf16_files_are_named() {
        let text = "ticket_id,created_at\n1,2025-01-01\n";
        let le: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
        assert!(unreadable_kind(&le).is_some_and(|m| m.contains("UTF-16LE")));
        assert!(unreadable_kind(&be).is_some_and(|m| m.contains("UTF-16BE")));
        assert!(unreadable_kind(b"BZh91AY&SY").is_some_and(|m| m.contains("bzip2")));
        assert!(unreadable_kind(b"\xFD7zXZ\x00\x00").is_some_and(|m| m.contains("xz")));
        assert_eq!(unreadable_kind(text.as_bytes()), None);
        // Latin-1 text is text: its hint is the encoding, not this.
        assert_eq!(unreadable_kind(b"team\nca\xE9\n"), None);
    }

    /// Windows-1252 is told by bytes that are not UTF-8 in a start holding no UTF-8
    /// character beyond ASCII and no control byte; a character cut off at the end of
    /// a start that is not the whole file is not judged.
    #[test]
    fn windows_1252_is_told_by_its_bytes() {
        let told = |head: &[u8], whole| windows_1252_note("f", head, whole);
        assert_eq!(
            told(b"a,b\n1,caf\xe9 noir\n", true).as_deref(),
            Some("f: not UTF-8, so read as Windows-1252 (Latin-1): line 2 reads 'café'; give --encoding if the file is in another encoding")
        );
        assert!(told(b"a,b\n1,\x93q\x94\n", true).is_some());
        // A long word is shown up to 20 characters either side of the byte.
        let long = [b"a\r1,".as_slice(), &[b'Z'; 60], b"\xe9quipe\r"].concat();
        let said = told(&long, true).unwrap_or_default();
        assert!(
            said.contains(&format!("line 2 reads '{}équipe'", "Z".repeat(20))),
            "{said}"
        );
        // UTF-8 throughout, or ASCII alone: nothing to say.
        assert!(told("a,b\n1,café\n".as_bytes(), true).is_none());
        assert!(told(b"a,b\n1,2\n", true).is_none());
        // A UTF-8 character beside a stray byte: not Windows-1252, stopped later.
        assert!(told("a,b\n1,é\n2,\u{0}".as_bytes(), true).is_none());
        assert!(told(b"a,b\n1,\xc3\xa9\n2,\xe9\n", true).is_none());
        // Control bytes: binary, compressed or UTF-16 without its mark.
        assert!(told(b"a,b\n1,\xe9\x01\n", true).is_none());
        assert!(told(b"a\x00,\x00b\xe9\n", true).is_none());
        // `é` cut off by the end of a 64 KiB start: the last line is not judged.
        let mut cut = b"a,b\n1,x\n2,caf".to_vec();
        cut.push(0xc3);
        assert!(told(&cut, false).is_none());
        assert!(told(&cut, true).is_some());
    }

    /// A UTF-8 character in a file read as Windows-1252 is seen wherever the reads
    /// cut it, and named by its line.
    #[test]
    fn utf8_is_seen_across_reads() {
        let mut watch = Utf8Watch::default();
        for read in [b"a,b\r\n1,\xe9\n2,".as_slice(), b"\xc3", b"", b"\x89x\n"] {
            watch.scan(read);
        }
        let found = watch.found.unwrap_or_default();
        assert!(
            found.starts_with("line 3 holds 'É' written as UTF-8, read as 'Ã‰'"),
            "{found}"
        );
        let mut watch = Utf8Watch::default();
        for read in [b"\xe2".as_slice(), b"\x82", b"\xac"] {
            watch.scan(read);
        }
        assert!(watch
            .found
            .is_some_and(|f| f.starts_with("line 1 holds '€'")));
        // Windows-1252 only (`é` then a letter): nothing.
        let mut watch = Utf8Watch::default();
        for read in [b"caf\xe9".as_slice(), b"s \xc9t\xe9\n"] {
            watch.scan(read);
        }
        assert!(watch.found.is_none());
    }

    #[test]
    fn utf16_with_a_mark_reads_as_utf8() {
        let text = "id,名前\r\nA,😀\n";
        for big_endian in [false, true] {
            let units: Vec<u8> = text
                .encode_utf16()
                .flat_map(|u| {
                    if big_endian {
                        u.to_be_bytes()
                    } else {
                        u.to_le_bytes()
                    }
                })
                .collect();
            let mut out = String::new();
            Utf16ToUtf8::new(units.as_slice(), big_endian)
                .read_to_string(&mut out)
                .unwrap();
            assert_eq!(out, text);
        }
        // A lone high surrogate at the end is an error, not a silent loss.
        let mut out = Vec::new();
        let bad = [0x41u8, 0x00, 0x3D, 0xD8];
        assert!(Utf16ToUtf8::new(bad.as_slice(), false)
            .read_to_end(&mut out)
            .is_err());
    }
}
