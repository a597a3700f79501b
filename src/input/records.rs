//! Data records of a CSV file as polars counts them: every newline outside quotes
//! ends a record, blank lines included. Used to turn a polars row number into the
//! physical line where that record starts, and to re-read its fields.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

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
            return crate::data_err!(
                "{}:{line}: a quote opened on this line is never closed",
                path.display()
            );
        }
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;

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
