//! Turning command-line inputs into readable CSV files, and a first look at each.
//!
//! Polars scans files by path, so stdin and gzip input are first spooled to a
//! temporary file (kept alive as long as the [`Source`]). Gzip is recognised by its
//! magic bytes, whatever the file is called.

use std::fs::File;
use std::io::{BufReader, Read, Write};
use std::path::{Path, PathBuf};

use crate::data_err;
use crate::error::{CxmError, Result};

/// One CSV input, ready for polars.
#[derive(Debug)]
pub struct Source {
    /// How the user named it (`-` shows as `<stdin>`).
    pub name: String,
    /// A plain (uncompressed) CSV file.
    pub path: PathBuf,
    _spool: Option<tempfile::TempPath>,
}

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// Resolve files, directories (their `*.csv`, `*.csv.gz`, `*.tsv`, sorted) and `-`.
pub fn resolve(inputs: &[PathBuf]) -> Result<Vec<Source>> {
    resolve_with(inputs, Encoding::Utf8)
}

/// [`resolve`], transcoding from `encoding` to UTF-8 where needed.
pub fn resolve_with(inputs: &[PathBuf], encoding: Encoding) -> Result<Vec<Source>> {
    let mut out = Vec::new();
    let mut stdin_used = false;
    for input in inputs {
        if input.as_os_str() == "-" {
            if stdin_used {
                return Err(CxmError::Usage("'-' (stdin) can be given only once".into()));
            }
            stdin_used = true;
            out.push(spool("<stdin>", &mut std::io::stdin().lock(), encoding)?);
        } else if input.is_dir() {
            let mut files: Vec<PathBuf> = std::fs::read_dir(input)
                .map_err(|e| data_err!("{}: cannot read directory: {e}", input.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| is_csv_name(p))
                .collect();
            files.sort();
            if files.is_empty() {
                return Err(data_err!(
                    "{}: no .csv, .csv.gz or .tsv files in this directory",
                    input.display()
                ));
            }
            for f in files {
                out.push(open_file_with(&f, encoding)?);
            }
        } else {
            out.push(open_file_with(input, encoding)?);
        }
    }
    Ok(out)
}

pub fn is_csv_name(p: &Path) -> bool {
    let name = p
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    p.is_file() && (name.ends_with(".csv") || name.ends_with(".csv.gz") || name.ends_with(".tsv"))
}

pub fn open_file(path: &Path) -> Result<Source> {
    open_file_with(path, Encoding::Utf8)
}

/// Open one file; gzip or a non-UTF-8 `encoding` is spooled to UTF-8 first.
pub fn open_file_with(path: &Path, encoding: Encoding) -> Result<Source> {
    let name = path.display().to_string();
    let mut file = File::open(path).map_err(|e| data_err!("{name}: cannot open: {e}"))?;
    let mut magic = [0u8; 2];
    let n = file
        .read(&mut magic)
        .map_err(|e| data_err!("{name}: cannot read: {e}"))?;
    if (n == 2 && magic == GZIP_MAGIC) || encoding != Encoding::Utf8 {
        let file = File::open(path).map_err(|e| data_err!("{name}: cannot open: {e}"))?;
        return spool(&name, &mut file.take(u64::MAX), encoding);
    }
    Ok(Source {
        name,
        path: path.to_path_buf(),
        _spool: None,
    })
}

/// The character encoding of the input files (`--encoding`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Encoding {
    #[default]
    #[value(name = "utf8", alias = "utf-8")]
    Utf8,
    /// ISO-8859-1 (each byte is the code point of the same number).
    #[value(name = "latin1", alias = "iso-8859-1")]
    Latin1,
}

/// Latin-1 bytes as UTF-8, streamed.
struct Latin1ToUtf8<R> {
    inner: R,
    pending: Vec<u8>,
}

impl<R: Read> Read for Latin1ToUtf8<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if self.pending.is_empty() {
            let mut raw = vec![0u8; out.len().max(2) / 2];
            let n = self.inner.read(&mut raw)?;
            for &b in &raw[..n] {
                let mut buf = [0u8; 2];
                self.pending
                    .extend_from_slice(char::from(b).encode_utf8(&mut buf).as_bytes());
            }
        }
        let n = self.pending.len().min(out.len());
        out[..n].copy_from_slice(&self.pending[..n]);
        self.pending.drain(..n);
        Ok(n)
    }
}

/// Copy a stream (decompressing gzip, transcoding to UTF-8) into a temporary file.
fn spool(name: &str, reader: &mut dyn Read, encoding: Encoding) -> Result<Source> {
    let mut head = [0u8; 2];
    let n = read_up_to(reader, &mut head).map_err(|e| data_err!("{name}: cannot read: {e}"))?;
    let chained = head[..n].chain(reader);
    let mut tmp = tempfile::Builder::new()
        .prefix("cxm-input-")
        .suffix(".csv")
        .tempfile()
        .map_err(|e| CxmError::Internal(format!("cannot create a temporary file: {e}")))?;
    let plain: Box<dyn Read + '_> = if n == 2 && head == GZIP_MAGIC {
        Box::new(flate2::read::MultiGzDecoder::new(BufReader::new(chained)))
    } else {
        Box::new(chained)
    };
    let copied = match encoding {
        Encoding::Utf8 => std::io::copy(&mut { plain }, &mut tmp),
        Encoding::Latin1 => std::io::copy(
            &mut Latin1ToUtf8 {
                inner: plain,
                pending: Vec::new(),
            },
            &mut tmp,
        ),
    };
    copied.map_err(|e| data_err!("{name}: cannot read: {e}"))?;
    tmp.flush()?;
    Ok(Source {
        name: name.to_string(),
        path: tmp.path().to_path_buf(),
        _spool: Some(tmp.into_temp_path()),
    })
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

/// Read the header and up to `sample_rows` records.
pub fn sniff(src: &Source, delimiter: Option<u8>, sample_rows: usize) -> Result<Sniffed> {
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
    let first_line = body.split(|&b| b == b'\n').next().unwrap_or(body);
    let delimiter = delimiter.unwrap_or_else(|| detect_delimiter(first_line));

    let file = File::open(&src.path).map_err(|e| data_err!("{}: cannot open: {e}", src.name))?;
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(BufReader::new(file));
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| csv_error(&src.name, e))?
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').to_string())
        .collect();
    let mut sample = Vec::new();
    for record in reader.records().take(sample_rows) {
        sample.push(record.map_err(|e| csv_error(&src.name, e))?);
    }
    Ok(Sniffed {
        headers,
        delimiter,
        sample,
    })
}

/// A csv-crate error as a data error naming file and line.
pub fn csv_error(name: &str, e: csv::Error) -> CxmError {
    let line = e
        .position()
        .map(|p| format!(":{}", p.line()))
        .unwrap_or_default();
    match e.kind() {
        csv::ErrorKind::Utf8 { .. } => {
            data_err!(
                "{name}{line}: bytes that are not valid UTF-8; give --encoding latin1 if the file is Latin-1 (ISO-8859-1), or re-save it as UTF-8"
            )
        }
        _ => data_err!("{name}{line}: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiter_detection_ignores_quoted_text() {
        assert_eq!(detect_delimiter(b"a,b,c"), b',');
        assert_eq!(detect_delimiter(b"a;b;c"), b';');
        assert_eq!(detect_delimiter(b"a\tb\tc"), b'\t');
        assert_eq!(detect_delimiter(b"\"x;y;z\",b,c"), b',');
        assert_eq!(detect_delimiter(b"single"), b',');
    }
}
