//! Lines around a CSV's table: Excel's `sep=` line and a report's title above the
//! header, a footer below the table, and DOS's end-of-file mark after it. A copy
//! without them is read, its lines still located as the file's.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use super::source::{read_up_to, FileFormat, Source, HEAD, TAIL};
use crate::data_err;
use crate::error::{CxmError, Result};

/// A CSV source with lines above its header: Excel's `sep=X` (written so that Excel
/// splits the file by `X`, then its delimiter), or a report's title (lines of one
/// field, and blank ones, before a line of several, as a sheet's title above its
/// table is skipped): a copy without them, its lines still located as the file's.
pub(super) fn without_lines_above_header(src: Source, given: Option<u8>) -> Result<Source> {
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
    let dos_bytes = dos_end(&src.path, len).map_err(cannot)?;
    let dos_end = dos_bytes > 0;
    let len = len - dos_bytes;
    // Below the table, the header's own delimiter tells a record from a footer (a
    // comma in `Generated: 3 March, 2025` under a `;` table is text).
    let header_line = super::source::first_record(&body[bytes.min(body.len())..]);
    let header_delimiter = Some(super::source::detect_delimiter(header_line));
    let footer =
        footer_lines(&src.path, len, given.or(delimiter).or(header_delimiter)).map_err(cannot)?;
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
    out.footer_zone = src.footer_zone;
    out.skipped_beside = src.skipped_beside;
    out.other_sheets = src.other_sheets;
    out.other_tables = src.other_tables;
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
        let named = zone_named(&footer_text);
        out.footer_zone = named.clone().and_then(Result::ok);
        let warned = format!(
            "{}: {footer_lines} {} below the table taken for a footer ('{}'), not read{}",
            out.name,
            word(footer_lines),
            crate::text::value_shown(&footer_text),
            zone_said(&named)
        );
        out.note = Some(match out.note.take() {
            Some(note) => format!("{note}; {warned}"),
            None => warned,
        });
    }
    out.left_out = (!said.is_empty()).then(|| said.join("; "));
    Ok(out)
}

/// The zone a footer names, as Zammad's download does (`Timezone: Europe/Berlin`,
/// in its German `Zeitzone: …`): `footer` its lines joined by ` / `. `Err` with the
/// text of a zone cxm does not know.
pub(super) fn zone_named(footer: &str) -> Option<Result<chrono_tz::Tz, String>> {
    const LABELS: [&str; 6] = [
        "timezone",
        "time zone",
        "zeitzone",
        "fuseau horaire",
        "zona horaria",
        "fuso horário",
    ];
    footer.split(" / ").find_map(|line| {
        let (label, zone) = line.split_once(':')?;
        let label = label.trim().to_lowercase();
        let zone = zone.trim().trim_end_matches([',', ';', '\t']).trim();
        // `Europe/Berlin (GMT+01:00)`: the name before its offset.
        let name = zone.split(" (").next().unwrap_or(zone).trim();
        LABELS
            .contains(&label.as_str())
            .then(|| crate::calendar::zone_named(name).ok_or_else(|| zone.to_string()))
    })
}

/// How a footer's warning says the zone it names is read (or is not).
pub(super) fn zone_said(zone: &Option<Result<chrono_tz::Tz, String>>) -> String {
    match zone {
        None => String::new(),
        Some(Ok(z)) => format!(": its times without an offset are read in {z}, the zone it names"),
        Some(Err(name)) => format!(
            ": it names a zone, '{}', which cxm does not know: its times are read in --tz",
            crate::text::value_shown(name)
        ),
    }
}

/// Does a line below a table say something, as a footer does (three words or more,
/// one of three letters or more), rather than hold a record whose writer left out its
/// empty last fields (`2` or `T 3` under `id,created_at,channel`)?
pub(super) fn reads_as_footer(line: &str) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    !line.chars().any(char::is_control)
        && words.len() >= 3
        && (words.iter()).any(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 3)
}

/// Does a cell below a table read as a label and its value (Zammad's
/// `Timezone: Europe/Berlin`, `Total tickets: 42`): a label of letters, `: `, then
/// something?
pub(super) fn reads_as_label(text: &str) -> bool {
    text.split_once(": ").is_some_and(|(label, rest)| {
        label.chars().filter(|c| c.is_alphabetic()).count() >= 3
            && label.chars().all(|c| c.is_alphabetic() || c == ' ')
            && !rest.trim().is_empty()
    })
}

/// Does a first cell alone below a table (a padded CSV line, a sheet's single cell)
/// read as a footer: a label and its value, or words telling a date or a count after
/// a word (`Generated by Acme on 2025-04-01`)? Not words alone, nor a score's label
/// (`10 - Extremely likely`): a survey's answer is written so.
pub(super) fn reads_as_cell_footer(text: &str) -> bool {
    let t = text.trim();
    let dated =
        !t.starts_with(|c: char| c.is_ascii_digit()) && t.bytes().any(|b| b.is_ascii_digit());
    reads_as_label(t) || (dated && reads_as_footer(t))
}

/// A line below a table without the empty fields a spreadsheet pads it with to the
/// table's width (`Total tickets: 42,,,` as Excel saves a footer).
fn without_padding(line: &[u8], delimiter: Option<u8>) -> &[u8] {
    let pad = |b: &u8| match delimiter {
        Some(d) => *b == d,
        None => matches!(b, b',' | b';' | b'\t' | b'|'),
    };
    let kept = line.len() - line.iter().rev().take_while(|b| pad(b)).count();
    &line[..kept]
}

/// Most lines below a table taken for a footer.
pub(super) const FOOTERS: usize = 3;

/// Lines of one field each (up to three, blank ones among them), each of words or a
/// label and its value, closing a file whose last record before them has several (a
/// report's footer: Chatwoot's `Reporting period …`, Zammad's `Timezone: …`): their
/// bytes and count. Padded with a spreadsheet's empty fields, they must stand below a
/// blank line. A line holding a quote may end a quoted field that spans lines, so it
/// is never taken for a footer.
pub(super) fn footer_lines(
    path: &Path,
    len: u64,
    delimiter: Option<u8>,
) -> std::io::Result<Option<(u64, u64, String)>> {
    use std::io::{Seek, SeekFrom};
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
    // Some footer line is padded; a blank line lies between the table and the
    // topmost footer line so far.
    let (mut padded, mut spaced) = (false, false);
    loop {
        let start = match buf[..end].iter().rposition(|&b| b == b'\n') {
            Some(k) => k + 1,
            None => return Ok(None),
        };
        let line = &buf[start..end];
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        // A spreadsheet pads a line to the table's width with empty fields: a row of
        // them alone (`,,,`) is a blank line.
        let bare = without_padding(line, delimiter);
        let blank = bare.iter().all(u8::is_ascii_whitespace);
        let quotes = line.iter().filter(|&&b| b == b'"').count();
        // Padded, a label and its value, or words that tell a date or a count after
        // a word (a report's `Generated … on 2025-04-01`): a survey's answer of words
        // (`Neither satisfied nor dissatisfied,,`, `10 - Extremely likely,`) is padded
        // alike, below a blank row too, and read as a footer it would be lost.
        let unpadded = bare.len() == line.len();
        let says = !blank
            && quotes == 0
            && !has_delimiter(bare, delimiter)
            && std::str::from_utf8(bare)
                .is_ok_and(|t| (unpadded && reads_as_footer(t)) || reads_as_cell_footer(t));
        // A line holding a quote is the table's, whether or not its delimiters are
        // inside a quoted cell's last line.
        let record = has_delimiter(line, delimiter) || quotes > 0;
        if !blank && !says && record {
            // A record whose last cell opens a quote runs on below: what follows is
            // that cell's text (a file cut short inside it), no footer.
            let opens_a_cell = quotes % 2 == 1 && has_delimiter(line, delimiter);
            // A padded label stands apart from the table, as a sheet's footer below a
            // blank row: right under the rows, it is a record.
            if opens_a_cell || (padded && !spaced) {
                return Ok(None);
            }
            let cut = (buf.len() - end) as u64;
            said.reverse();
            return Ok((footers > 0).then_some((cut, lines, said.join(" / "))));
        }
        if !blank {
            if !says {
                return Ok(None);
            }
            footers += 1;
            padded |= !unpadded;
            spaced = false;
            said.push(String::from_utf8_lossy(bare).trim().to_string());
            if footers > FOOTERS {
                return Ok(None);
            }
        } else if footers > 0 {
            spaced = true;
        }
        // The line just before this one's start ends at its `\n`.
        if start == 0 {
            return Ok(None);
        }
        end = start - 1;
        lines += u64::from(!blank || footers > 0);
    }
}

/// The bytes of DOS's end-of-file mark closing a file of `len` bytes: from its first
/// 0x1A in the run of 0x1A and line ends the file ends with (`\n\x1a`, `\x1a\r\n`,
/// `\x1a\x1a`), 0 when the run holds none. The line end before the mark stays.
pub(super) fn dos_end(path: &Path, len: u64) -> std::io::Result<u64> {
    use std::io::{Seek, SeekFrom};
    // However many line ends follow the mark, within the last 64 KiB.
    let tail = len.min(HEAD as u64);
    let mut file = File::open(path)?;
    file.seek(SeekFrom::Start(len - tail))?;
    let mut buf = vec![0u8; tail as usize];
    let n = read_up_to(&mut file, &mut buf)?;
    Ok(dos_mark_len(&buf[..n]) as u64)
}

/// [`dos_end`] of bytes that end a file.
pub(super) fn dos_mark_len(end: &[u8]) -> usize {
    let run = (end.iter().rev())
        .take_while(|b| matches!(b, 0x1A | b'\r' | b'\n'))
        .count();
    let run = &end[end.len() - run..];
    run.iter()
        .position(|&b| b == 0x1A)
        .map_or(0, |at| run.len() - at)
}

/// `sep=X` (any case) alone on the first line: `X` and the line's length with its end.
pub(super) fn separator_line(head: &[u8]) -> Option<(u8, usize)> {
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
/// two fields or more. Their bytes and count. A spreadsheet saving its sheet pads a
/// title, and a blank row, with empty fields to the table's width (`Tickets,,,`,
/// `,,,`): such a title needs a blank line after it and a header of two names or
/// more under them (a one-column header padded so, `ticket_id,,`, has its rows
/// right under it).
pub(super) fn title_lines(head: &[u8], whole: bool, delimiter: Option<u8>) -> Option<(usize, u64)> {
    const TITLES: usize = 3;
    let (mut at, mut lines, mut titles) = (0, 0, 0);
    // A padded title seen, and no blank line after it yet.
    let (mut padded, mut unspaced) = (false, false);
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
        let bare = without_padding(line, delimiter);
        let blank = bare.iter().all(u8::is_ascii_whitespace);
        // A quoted cell of wrapped text opening the line: a header's first cell when
        // named cells follow its closing quote (`"Internal` then `note",ticket_id`),
        // else a title of several lines (`"Ticket report` then `March 2025",,,`).
        let (mut end, mut more_lines, mut padded_here) = (end, 0, bare.len() < line.len());
        let mut opens_header = false;
        match wrapped_cell(head, at, whole) {
            Wrapped::No => {}
            Wrapped::CutOff => return None,
            Wrapped::Closes {
                end: e,
                lines: n,
                after,
            } => {
                let after = after.strip_suffix(b"\r").unwrap_or(after);
                let rest = without_padding(after, delimiter);
                let delimits = |b: u8| match delimiter {
                    Some(d) => b == d,
                    None => matches!(b, b',' | b';' | b'\t' | b'|'),
                };
                opens_header = rest.first().is_some_and(|&b| delimits(b))
                    && split_count_named(rest, delimiter) >= 1;
                (end, more_lines, padded_here) = (e, n, rest.len() < after.len());
            }
        }
        if !blank && (opens_header || (more_lines == 0 && has_delimiter(bare, delimiter))) {
            let named = || opens_header || split_count_named(line, delimiter) >= 2;
            // Blank rows a spreadsheet padded (a sheet's empty first rows) are left
            // out as titles are.
            let header =
                (titles > 0 || padded) && (end < head.len() || whole) && (!padded || named());
            return (header && !unspaced).then_some((at, lines));
        }
        let padded_title = !blank && padded_here;
        // Under a sheet's empty rows alone, a padded name with a row right under it
        // is a one-column table's header (`,` then `csat,` then `5,`).
        if padded_title && titles == 0 && lines > 0 && !next_line_blank(head, end, whole, delimiter)
        {
            return Some((at, lines));
        }
        padded |= padded_here;
        unspaced = padded_title || (unspaced && !blank);
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
        lines += 1 + more_lines as u64;
    }
}

/// What a line starting at `at` opens: a quoted cell closing on a later line (how
/// many lines later, the end of that line, and what follows the closing quote there).
enum Wrapped<'a> {
    No,
    /// The cell does not close within `head`: nothing can be said of it.
    CutOff,
    Closes {
        end: usize,
        lines: usize,
        after: &'a [u8],
    },
}

fn wrapped_cell(head: &[u8], at: usize, whole: bool) -> Wrapped<'_> {
    if head.get(at) != Some(&b'"') {
        return Wrapped::No;
    }
    let (mut i, mut lines) = (at + 1, 0);
    loop {
        match head.get(i) {
            None => return Wrapped::CutOff,
            Some(b'"') if head.get(i + 1) == Some(&b'"') => i += 2,
            Some(b'"') => break,
            Some(b'\n') => {
                lines += 1;
                i += 1;
            }
            Some(_) => i += 1,
        }
    }
    if lines == 0 {
        return Wrapped::No;
    }
    let end = match head[i..].iter().position(|&b| b == b'\n') {
        Some(k) => i + k,
        None if whole => head.len(),
        None => return Wrapped::CutOff,
    };
    Wrapped::Closes {
        end,
        lines,
        after: &head[i + 1..end],
    }
}

/// Is the line after the one ending at `end` blank (padding alone)? The end of the
/// file is no blank line (a header with no rows under it); a line cut off by the
/// end of `head` is taken for one.
fn next_line_blank(head: &[u8], end: usize, whole: bool, delimiter: Option<u8>) -> bool {
    let rest = head.get(end + 1..).unwrap_or_default();
    let line = match rest.iter().position(|&b| b == b'\n') {
        Some(k) => &rest[..k],
        None if whole && rest.is_empty() => return false,
        None if whole => rest,
        None => return true,
    };
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    without_padding(line, delimiter)
        .iter()
        .all(u8::is_ascii_whitespace)
}

/// How many fields of a line (split at the delimiter outside quotes) hold something.
fn split_count_named(line: &[u8], given: Option<u8>) -> usize {
    let is_delimiter = |b: u8| match given {
        Some(d) => b == d,
        None => matches!(b, b',' | b';' | b'\t' | b'|'),
    };
    let (mut quoted, mut filled, mut count) = (false, false, 0);
    for &b in line {
        if b == b'"' {
            quoted = !quoted;
        }
        if !quoted && is_delimiter(b) {
            count += usize::from(filled);
            filled = false;
        } else if !b.is_ascii_whitespace() {
            filled = true;
        }
    }
    count + usize::from(filled)
}

/// Does a line hold the delimiter (`given`, else any of `,` `;` tab `|`) outside
/// quotes?
pub(super) fn has_delimiter(line: &[u8], given: Option<u8>) -> bool {
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
pub(super) fn unreadable_kind(head: &[u8]) -> Option<String> {
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
    if let Some(said) = super::encoding::utf32(head) {
        return Some(said.to_string());
    }
    // UTF-32 without its mark: three NUL bytes beside every ASCII character.
    let quads = head.len().min(512) / 4;
    let zeros_at = |skip: usize| {
        (0..quads)
            .filter(|q| (0..4).filter(|&b| b != skip).all(|b| head[4 * q + b] == 0))
            .count()
    };
    let (le, be) = (zeros_at(0), zeros_at(3));
    if quads >= 4 && (le * 10 >= quads * 9 || be * 10 >= quads * 9) {
        let order = if le > be { "LE" } else { "BE" };
        return Some(format!(
            "looks like UTF-32{order} text without a byte-order mark (three NUL bytes beside each character), which cxm does not read: re-save it as UTF-8"
        ));
    }
    // UTF-16 without its byte-order mark: a NUL byte beside every ASCII character
    // (the delimiters and line ends, at least, in text of CJK names), and hardly one
    // on the other side (binary holds them on both).
    let pairs = head.len().min(512) / 2;
    let nul_at = |odd: usize| (0..pairs).filter(|i| head[2 * i + odd] == 0).count();
    let one_sided = |at: usize, other: usize| at * 10 >= pairs * 3 && other * 50 <= pairs;
    let (even, odd) = (nul_at(0), nul_at(1));
    if pairs >= 4 && (one_sided(even, odd) || one_sided(odd, even)) {
        let order = if nul_at(1) > nul_at(0) { "LE" } else { "BE" };
        return Some(format!(
            "looks like UTF-16{order} text without a byte-order mark (a NUL byte beside each character): re-save it as UTF-8, or as UTF-16 with its mark"
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_footer_names_a_zone_in_its_words() {
        let berlin = Some(Ok(chrono_tz::Europe::Berlin));
        assert_eq!(zone_named("Timezone: Europe/Berlin"), berlin);
        assert_eq!(
            zone_named("Generated on 2025-03-01 / Zeitzone: Europe/Berlin,,"),
            berlin
        );
        assert_eq!(zone_named("timezone: europe/berlin"), berlin);
        assert_eq!(zone_named("Timezone: Europe/Berlin (GMT+01:00)"), berlin);
        assert_eq!(
            zone_named("Time zone: Mars/Olympus"),
            Some(Err("Mars/Olympus".into()))
        );
        assert_eq!(zone_named("Total tickets: 42"), None);
    }

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
        // A label and its value, as Zammad writes its zone; padded by a spreadsheet
        // to the table's width below a blank row of empty fields (a blank line).
        assert_eq!(
            footer(b"id,at\n1,2\n\nTimezone: Europe/Berlin\n"),
            Some((26, 2, "Timezone: Europe/Berlin".into()))
        );
        assert_eq!(
            footer(b"id,at,x\n1,2,3\n,,\nTotal tickets: 1,,\n"),
            Some((23, 2, "Total tickets: 1".into()))
        );
        // Padded labels, and words of a date, below a padded blank row, and blank
        // rows among the lines.
        let sheet = b"id,x\n1,2\n,\nGenerated by Acme on 2025-03-01,\n,\nTimezone: UTC,\n,\n";
        let said = "Generated by Acme on 2025-03-01 / Timezone: UTC";
        assert_eq!(
            footer(sheet),
            Some((sheet.len() as u64 - 8, 4, said.into()))
        );
        // A padded line of words without a digit is a record, below a blank row too
        // (a survey's last answer, `It was fine`); a padded label or date right under
        // the rows is one too.
        assert_eq!(footer(b"csat,comment\n5,Great\nIt was fine,\n"), None);
        let spaced_answer = b"csat,comment\n5,Great\n,\nNeither satisfied nor dissatisfied,\n";
        assert_eq!(footer(spaced_answer), None);
        assert_eq!(footer(b"csat,comment\n5,Great\nScore: five,\n"), None);
        assert_eq!(
            footer(b"csat,comment\n5,Great\nReport of 2025-03-01,\n"),
            None
        );
        // A score's label that starts with its score is an answer, below a blank row too.
        assert_eq!(footer(b"nps,csat\n9,4\n,\n10 - Extremely likely,\n"), None);
        // Under a record ending a quoted cell of several lines, a footer still is.
        assert_eq!(
            footer(b"id,note,x\n1,\"a\nb\",2\n\nTimezone: UTC,,\n"),
            Some((18, 2, "Timezone: UTC".into()))
        );
        // Under a record opening one (a file cut short inside it), its lines are no
        // footer.
        let cut_short = b"id,at,note\n1,2,x\n2,3,\"Printer broken\nPlease send someone today\n";
        assert_eq!(footer(cut_short), None);
        // A padded record is no footer: an id alone, a time with its label's digits.
        assert_eq!(footer(b"id,at,x\n1,2,3\nT5,,\n"), None);
        assert_eq!(
            footer(b"id,at,x\n1,2,3\nT5,,\nExported by Ann Smith\n"),
            Some((23, 1, "Exported by Ann Smith".into()))
        );
        assert_eq!(footer(b"id,at\n1,2\nT1: 2025-01-01\n"), None);
        let four = b"a,b\n1,2\nsaid one line\nsaid two lines\nsaid three lines\nsaid four lines\n";
        assert_eq!(footer(four), None);
    }
}
