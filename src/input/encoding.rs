//! The inputs' character encodings: UTF-8, UTF-16 by its byte-order mark, and
//! Windows-1252 (Latin-1), given or told from a file's first bytes; each read as a
//! stream of UTF-8.

use std::cell::RefCell;
use std::fs::File;
use std::io::Read;
use std::path::Path;
use std::rc::Rc;

use super::source::{read_up_to, JUDGED};
use crate::data_err;
use crate::error::Result;

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
pub(super) const WINDOWS_1252: [char; 32] = [
    '\u{20ac}', '\u{81}', '\u{201a}', '\u{192}', '\u{201e}', '\u{2026}', '\u{2020}', '\u{2021}',
    '\u{2c6}', '\u{2030}', '\u{160}', '\u{2039}', '\u{152}', '\u{8d}', '\u{17d}', '\u{8f}',
    '\u{90}', '\u{2018}', '\u{2019}', '\u{201c}', '\u{201d}', '\u{2022}', '\u{2013}', '\u{2014}',
    '\u{2dc}', '\u{2122}', '\u{161}', '\u{203a}', '\u{153}', '\u{9d}', '\u{17e}', '\u{178}',
];

/// A Latin-1 (Windows-1252) byte's character.
pub(super) fn latin1_char(b: u8) -> char {
    match b {
        0x80..=0x9f => WINDOWS_1252[usize::from(b - 0x80)],
        b => char::from(b),
    }
}

/// Latin-1 bytes as UTF-8, streamed.
pub(super) struct Latin1ToUtf8<R> {
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
pub(super) struct Utf8Watch {
    line: u64,
    after_cr: bool,
    /// The start of a character cut by the end of the last read.
    cut: Vec<u8>,
    pub(super) found: Option<String>,
}

/// The length of the UTF-8 character that lead byte `b` starts.
pub(super) fn utf8_len(b: u8) -> usize {
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
pub(super) struct Utf16ToUtf8<R> {
    inner: R,
    big_endian: bool,
    /// Bytes read but not decoded yet: an odd byte, or a high surrogate.
    undecoded: Vec<u8>,
    decoded: Vec<u8>,
    pos: usize,
    /// The line being decoded (from 1), for the error that names where.
    line: usize,
    after_cr: bool,
    quoted: bool,
    cr_lines: bool,
}

impl<R: Read> Utf16ToUtf8<R> {
    fn new(inner: R, big_endian: bool) -> Utf16ToUtf8<R> {
        Utf16ToUtf8 {
            inner,
            big_endian,
            undecoded: Vec::new(),
            decoded: Vec::new(),
            pos: 0,
            line: 1,
            after_cr: false,
            quoted: false,
            cr_lines: false,
        }
    }
}

impl<R: Read> Read for Utf16ToUtf8<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let invalid = |line: usize| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("line {line} is not valid UTF-16 (the file starts with a UTF-16 byte-order mark)"),
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
                    Err(invalid(self.line))
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
                let c = c.map_err(|_| invalid(self.line))?;
                // A CR outside quotes not followed by LF: the file's lines end so.
                self.cr_lines |= self.after_cr && !self.quoted && c != '\n';
                // Lines as the CSV reading counts them (`LineEnds`): a line ends at
                // `\n`, `\r\n` or a lone `\r` outside quotes; a quoted `\r` is a
                // cell's own unless lone CRs end the file's lines (old Mac files).
                self.quoted ^= c == '"';
                let cr_ends = c == '\r' && (!self.quoted || self.cr_lines);
                self.line += usize::from(match c {
                    '\n' => !self.after_cr,
                    _ => cr_ends,
                });
                self.after_cr = cr_ends;
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

/// A CSV stream (gunzipped) as UTF-8: transcoded from UTF-16 (by its byte-order
/// mark, whatever `encoding` says) or Latin-1 (unless a UTF-8 mark says otherwise),
/// with the note that says so when Latin-1 was told by the bytes (and what shows
/// UTF-8 later, known once the stream is read).
#[allow(clippy::type_complexity)]
pub(super) fn as_utf8<'a>(
    name: &str,
    stream: impl Read + 'a,
    encoding: Encoding,
) -> Result<(
    Box<dyn Read + 'a>,
    Option<String>,
    Option<Rc<RefCell<Utf8Watch>>>,
)> {
    let mut plain: Box<dyn Read + 'a> = Box::new(stream);
    let mut mark = [0u8; 4];
    let m = read_up_to(&mut plain, &mut mark).map_err(|e| data_err!("{name}: cannot read: {e}"))?;
    // UTF-32's mark (before UTF-16's, which begins the little-endian one).
    if let Some(said) = utf32(&mark[..m]) {
        return Err(data_err!("{name}: {said}"));
    }
    let utf16 = match (m >= 2, [mark[0], mark[1]]) {
        (true, [0xFF, 0xFE]) => Some(false),
        (true, [0xFE, 0xFF]) => Some(true),
        _ => None,
    };
    // A UTF-8 byte order mark says the file is UTF-8, whatever `--encoding` says (one
    // `--encoding latin1` given for several files).
    let utf8_mark = m >= 3 && mark[..3] == [0xEF, 0xBB, 0xBF];
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
            let mut head = vec![0u8; JUDGED];
            let n = read_up_to(&mut plain, &mut head)
                .map_err(|e| data_err!("{name}: cannot read: {e}"))?;
            head.truncate(n);
            note = windows_1252_note(name, &head, n < JUDGED);
            plain = Box::new(std::io::Cursor::new(head).chain(plain));
            note.is_some()
        }
    };
    // Read as UTF-8, a start that is not stops the run now, as it would once read:
    // a stream is not copied whole first (`/dev/urandom` never ends).
    if !latin1 && utf16.is_none() {
        let mut head = vec![0u8; JUDGED];
        let n =
            read_up_to(&mut plain, &mut head).map_err(|e| data_err!("{name}: cannot read: {e}"))?;
        head.truncate(n);
        if let Some(line) = first_bad_line(&head, n < JUDGED) {
            // The mark itself was read off before.
            let start = match utf8_mark {
                true => [&b"\xEF\xBB\xBF"[..], &head].concat(),
                false => head,
            };
            return Err(data_err!(
                "{}",
                not_utf8_said(name, &format!("{name}:{line}"), &start)
            ));
        }
        plain = Box::new(std::io::Cursor::new(head).chain(plain));
    }
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

/// The line of the first bytes of `head` that are not UTF-8 (a character cut off by
/// its end, unless it is `whole`, is not judged).
fn first_bad_line(head: &[u8], whole: bool) -> Option<usize> {
    let valid = match std::str::from_utf8(head) {
        Ok(_) => return None,
        Err(e) if e.error_len().is_none() && !whole => return None,
        Err(e) => e.valid_up_to(),
    };
    // Lines end with LF, CRLF or a lone CR.
    let before = &head[..valid];
    let lone_crs = before
        .windows(2)
        .filter(|w| w[0] == b'\r' && w[1] != b'\n')
        .count();
    let lfs = before.iter().filter(|&&b| b == b'\n').count();
    Some(1 + lfs + lone_crs + usize::from(before.last() == Some(&b'\r')))
}

/// The bytes ending `head` that begin a UTF-8 character its end cuts off (none when
/// the last character is whole: a 4-byte emoji ending on the last byte is whole).
fn cut_character(head: &[u8]) -> usize {
    // The last byte that can begin a character of several, within 3 of the end.
    let tail = head.len().saturating_sub(3);
    let Some(lead) = (tail..head.len()).rev().find(|&i| head[i] >= 0xC0) else {
        return 0;
    };
    let width = match head[lead] {
        b if b >= 0xF0 => 4,
        b if b >= 0xE0 => 3,
        _ => 2,
    };
    // Cut off only if every byte after it continues it (`é` then `z` is no UTF-8).
    let continues = head[lead + 1..].iter().all(|&b| (0x80..0xC0).contains(&b));
    match lead + width > head.len() && continues {
        true => head.len() - lead,
        false => 0,
    }
}

/// What a file starting with UTF-32's byte-order mark (either order) is.
pub(super) fn utf32(head: &[u8]) -> Option<&'static str> {
    matches!(head.get(..4), Some([0xFF, 0xFE, 0, 0] | [0, 0, 0xFE, 0xFF])).then_some(
        "UTF-32 text (by its byte-order mark), which cxm does not read: re-save it as UTF-8 (iconv -f UTF-32 -t UTF-8)",
    )
}

/// When the start of a file (`whole`: the file itself) holds bytes that are not
/// UTF-8 and no character of UTF-8 beyond ASCII, it is Windows-1252 (Excel's "ANSI"
/// CSV, most CSVs of Western Europe that are not UTF-8): the warning that says so,
/// naming the first such line and how it reads. A start that mixes characters of
/// UTF-8 with other bytes is left to stop as not UTF-8, and one with control bytes
/// (binary, compressed, UTF-16 without its mark) to be named for what it is.
pub(super) fn windows_1252_note(name: &str, head: &[u8], whole: bool) -> Option<String> {
    // DOS's end-of-file mark closing the file is no sign of a binary file.
    let head = match whole {
        true => &head[..head.len() - super::around::dos_mark_len(head)],
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
        false => &head[..head.len() - cut_character(head)],
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

/// Bytes that are not UTF-8 at `at` (`file:line`) of the file `name` at `path`, and
/// the way out (see [`not_utf8_said`]).
pub fn not_utf8(name: &str, at: &str, path: &Path) -> String {
    let mut start = vec![0u8; JUDGED];
    let n = File::open(path)
        .and_then(|mut f| read_up_to(&mut f, &mut start))
        .unwrap_or(0);
    not_utf8_said(name, at, &start[..n])
}

/// Bytes that are not UTF-8 at `at` in a file that starts with `start`, and the way
/// out: `--encoding latin1`, unless the file starts with UTF-8's byte-order mark
/// (which makes it UTF-8 whatever `--encoding` says), holds NUL bytes (no text in any
/// encoding cxm reads: binary, damaged) or is named as a Parquet file (gzipped or on
/// the way in) without being one.
fn not_utf8_said(name: &str, at: &str, start: &[u8]) -> String {
    let stem = name.strip_suffix(".gz").unwrap_or(name);
    let parquet = (stem.rsplit_once('.')).is_some_and(|(_, e)| e.eq_ignore_ascii_case("parquet"));
    if start.starts_with(b"\xEF\xBB\xBF") {
        return format!(
            "{at}: bytes that are not valid UTF-8 in a file that starts with UTF-8's byte-order mark (so read as UTF-8, whatever --encoding says); re-save it in one encoding"
        );
    }
    if parquet {
        return format!(
            "{name}: named .parquet but not a Parquet file (it does not start with PAR1): damaged at its start, or not Parquet"
        );
    }
    // Compressed otherwise than by gzip, UTF-16 or UTF-32 without a mark: named so
    // wherever the bytes come from (a file, gzip, stdin).
    if let Some(what) = super::around::unreadable_kind(start) {
        return format!("{name}: {what}");
    }
    // Text in Latin-1 may hold a stray NUL: the advice stays, after the likelier cause.
    match start.contains(&0) {
        true => format!(
            "{at}: bytes that are not valid UTF-8, and NUL bytes: a binary or damaged file? (give --encoding latin1 if it is Latin-1 text)"
        ),
        false => format!(
            "{at}: bytes that are not valid UTF-8; give --encoding latin1 if the file is Latin-1 (ISO-8859-1), or re-save it as UTF-8"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A character ending on the start's last byte is whole, whatever its width; one
    /// the end cuts off leaves its first bytes, not judged.
    #[test]
    fn only_a_character_cut_off_by_the_end_is_left_out() {
        let emoji = "😀".as_bytes();
        assert_eq!(cut_character(&[b"x".as_slice(), emoji].concat()), 0);
        assert_eq!(cut_character(&[b"x".as_slice(), &emoji[..3]].concat()), 3);
        assert_eq!(cut_character(&[b"x".as_slice(), &emoji[..1]].concat()), 1);
        assert_eq!(cut_character("xé".as_bytes()), 0);
        assert_eq!(cut_character(&"xé".as_bytes()[..2]), 1);
        assert_eq!(cut_character(b"plain"), 0);
        // A lead byte followed by ASCII is no character cut off: Windows-1252's `é`.
        assert_eq!(cut_character(b"caf\xe9z"), 0);
        assert_eq!(cut_character(b"x\xf0\x9fz"), 0);
        assert_eq!(cut_character(b"caf\xe9"), 1);
        // A file whose first character past ASCII is that emoji, ending the start:
        // UTF-8, no Windows-1252 warning.
        let head = [b"id\n".as_slice(), &[b'x'; 100], emoji].concat();
        assert_eq!(windows_1252_note("f.csv", &head, false), None);
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
