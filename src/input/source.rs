//! Turning command-line inputs into readable files (CSV, or Parquet), and a first
//! look at each.
//!
//! Polars scans files by path, so stdin and gzip input are first spooled to a
//! temporary file (kept alive as long as the [`Source`]). Gzip is recognised by its
//! magic bytes, whatever the file is called.

use std::fs::File;
use std::io::{BufReader, Read, Write};
use std::path::{Path, PathBuf};

use super::around::{unreadable_kind, without_lines_above_header};
use super::encoding::{as_utf8, windows_1252_note};
pub use super::encoding::{not_utf8, Encoding};
use crate::data_err;

static STDIN_CLOSED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Streams copied in this run (stdin as `-`, a FIFO or a pipe by its path, with the
/// sheet asked for): a stream reads once, and `report` opens a file again (the
/// previous window of `--compare`, a ticket export's own CSAT), which found stdin
/// empty and blocked on a FIFO.
type Streamed = ((Stream, Option<String>), Source);
static STREAMED: std::sync::Mutex<Vec<Streamed>> = std::sync::Mutex::new(Vec::new());

fn streamed() -> std::sync::MutexGuard<'static, Vec<Streamed>> {
    STREAMED.lock().unwrap_or_else(|p| p.into_inner())
}

/// A stream, told by its node where it has one (a FIFO as `f`, `./f` or a link to
/// it; stdin as `-`, `/dev/stdin` or `/dev/fd/0`), else by the path given.
#[derive(PartialEq)]
enum Stream {
    Node(u64, u64),
    Path(PathBuf),
}

fn stream(path: &Path) -> Stream {
    use std::os::unix::fs::MetadataExt;
    let node = match path.as_os_str() == "-" {
        true => Path::new("/dev/stdin"),
        false => path,
    };
    match std::fs::metadata(node) {
        Ok(m) => Stream::Node(m.dev(), m.ino()),
        Err(_) => Stream::Path(path.to_path_buf()),
    }
}

/// The copy of the stream at `path` made earlier in this run, if any.
fn copy_of_stream(path: &Path, sheet: Option<&str>) -> Option<Source> {
    let key = (stream(path), sheet.map(str::to_string));
    streamed()
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, s)| s.clone())
}

/// Copy the stream at `path` (`-`: stdin) once a run; `read` copies it.
fn spool_once(
    path: &Path,
    sheet: Option<&str>,
    read: impl FnOnce() -> Result<Source>,
) -> Result<Source> {
    if let Some(source) = copy_of_stream(path, sheet) {
        return Ok(source);
    }
    let source = read()?;
    streamed().push(((stream(path), sheet.map(str::to_string)), source.clone()));
    Ok(source)
}

/// Let the streams' copies go (their temporary files removed) at the end of a run.
pub fn forget_streams() {
    streamed().clear();
}

/// Rust's runtime puts `/dev/null` on a closed descriptor 0 before `main`, which
/// would read as an empty file: whether stdin was closed (`<&-`) is seen as the
/// program is loaded, before the runtime starts.
#[used]
#[link_section = ".init_array"]
static NOTE_CLOSED_STDIN: extern "C" fn() = {
    extern "C" fn note() {
        // SAFETY: F_GETFD only reads the flags of descriptor 0.
        if unsafe { libc::fcntl(libc::STDIN_FILENO, libc::F_GETFD) } == -1 {
            STDIN_CLOSED.store(true, std::sync::atomic::Ordering::Relaxed);
        }
    }
    note
};
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
    /// The files of its folder passed over (said with the folder's first file), each
    /// with why: a warning each.
    pub skipped_beside: Vec<String>,
    /// The delimiter its own first line names (Excel's `sep=;`), that line left out.
    pub delimiter: Option<u8>,
    /// A workbook's first sheet, read for want of `--sheet`: the others' names, to
    /// point to when this one holds no data.
    pub other_sheets: Vec<String>,
    /// Of those, the worksheets (not charts): tables a folder's `report` does not read.
    pub other_tables: Vec<String>,
    /// Lines or rows left out around the table (a `sep=` line, a title, a footer),
    /// said under `-v`.
    pub left_out: Option<String>,
    /// A workbook's columns holding date cells (instants, written as ISO text), and
    /// whether every value of the column is one: such a column is read as without a
    /// `--date-format`, and in another a value the pattern does not read is read as
    /// a cell's text (a Parquet file's are told by its schema).
    pub typed_dates: Vec<(String, bool)>,
    /// The zone a footer names (Zammad's `Timezone: Europe/Berlin`): the export's
    /// times without an offset are in it.
    pub footer_zone: Option<chrono_tz::Tz>,
    /// A workbook's columns holding whole numbers past 10^15 in number cells, which
    /// keep 15 significant digits (an 18-digit id ends in zeros): each column, how
    /// many, and the first.
    pub long_numbers: Vec<(String, usize, String)>,
    /// A CSV copy of a Parquet file whose rows a preset rewrites ([`super::parquet::as_csv`]).
    pub parquet_copy: bool,
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
            skipped_beside: Vec::new(),
            delimiter: None,
            other_sheets: Vec::new(),
            other_tables: Vec::new(),
            left_out: None,
            typed_dates: Vec::new(),
            footer_zone: None,
            long_numbers: Vec::new(),
            parquet_copy: false,
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
    // Each file read once: a stream given twice (`-` and `/dev/stdin`) would be read
    // from one copy twice, a file twice counted twice where rows have no id.
    // Each with the folder it was found in, if any.
    let mut seen: Vec<(Stream, String, Option<PathBuf>, PathBuf)> = Vec::new();
    let mut once = |path: &Path, folder: Option<&Path>| -> Result<()> {
        let node = stream(path);
        let shown = match path.as_os_str() == "-" {
            true => "-".to_string(),
            false => crate::text::path_shown(path),
        };
        let Some((_, first, first_folder, first_path)) = (seen.iter())
            .filter(|_| matches!(node, Stream::Node(..)))
            .find(|(s, _, _, _)| *s == node)
        else {
            seen.push((
                node,
                shown,
                folder.map(Path::to_path_buf),
                path.to_path_buf(),
            ));
            return Ok(());
        };
        // Two names of one file side by side (a link beside its target, as a folder
        // `report` sorts into kinds holds them): neither may have been given.
        let side_by_side = path.parent() == first_path.parent()
            && path.file_name() != first_path.file_name()
            && path.as_os_str() != "-";
        let within = |f: Option<&Path>| match f {
            Some(f) => format!(" (in folder {})", crate::text::path_shown(f)),
            None => String::new(),
        };
        Err(CxmError::Usage(match (folder, first_folder) {
            (Some(f), Some(g)) if f == g => format!(
                "{shown} and {first} in folder {} are one file (a link to the other?), which would be read twice: move one out of the folder",
                crate::text::path_shown(f)
            ),
            _ if side_by_side => format!(
                "{shown} and {first} are one file (a link to the other?), which would be read twice: give one, or move one out of the folder that holds both"
            ),
            _ => format!(
                "{shown}{}: the same file as {first}{}, given again (each input is read once): give it once",
                within(folder),
                within(first_folder.as_deref())
            ),
        }))
    };
    if inputs.iter().filter(|i| i.as_os_str() == "-").count() > 1 {
        return Err(CxmError::Usage("'-' (stdin) can be given only once for one kind of data (given for two, as `surveys - --tickets -`, one copy is read as both)".into()));
    }
    // Closed, stdin is `/dev/null` by now: said as closed, not as a file given twice.
    if inputs.iter().any(|i| i.as_os_str() == "-")
        && STDIN_CLOSED.load(std::sync::atomic::Ordering::Relaxed)
    {
        return Err(data_err!(
            "<stdin>: stdin is closed, so there is nothing to read (pipe the file in, or name it)"
        ));
    }
    // All named first: opening a FIFO waits for its writer.
    for input in inputs {
        once(input, None)?;
    }
    for input in inputs {
        if input.as_os_str() == "-" {
            if stdin_used {
                return Err(CxmError::Usage("'-' (stdin) can be given only once for one kind of data (given for two, as `surveys - --tickets -`, one copy is read as both)".into()));
            }
            stdin_used = true;
            let source = spool_once(input, sheet, || {
                if STDIN_CLOSED.load(std::sync::atomic::Ordering::Relaxed) {
                    return Err(data_err!(
                        "<stdin>: stdin is closed, so there is nothing to read (pipe the file in, or name it)"
                    ));
                }
                let before = stdin_file_state();
                let source = spool(
                    "<stdin>",
                    &mut Waiting::new(std::io::stdin().lock()),
                    encoding,
                    sheet,
                )?;
                // A file on stdin (`< f.csv`) cut short or rewritten while it was
                // copied gives figures of no one file, as a named file would.
                if before.is_some() && stdin_file_state() != before {
                    return Err(data_err!(
                        "<stdin>: the file changed while it was read (rewritten or appended to by another program?); run again once it is whole"
                    ));
                }
                Ok(source)
            })?;
            out.push(without_lines_above_header(source, delimiter)?);
        } else if input.is_dir() {
            let entries: Vec<PathBuf> = std::fs::read_dir(input)
                .map_err(|e| {
                    data_err!(
                        "{}: cannot read directory: {e}",
                        crate::text::path_shown(input)
                    )
                })?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .collect();
            // A data file compressed otherwise than by gzip is not read: said, not
            // passed over without a word.
            let mut skipped = not_read_in_folder(&entries);
            let mut files: Vec<PathBuf> = (entries.into_iter())
                // A broken or looping link with a data file's name is opened (and so
                // fails, naming it) rather than skipped without a word.
                .filter(|p| read_from_folder(p) && !p.is_dir())
                .collect();
            files.sort();
            // A FIFO, socket or device with a data file's name would block the run or
            // never end: a folder's files are read when regular (a broken link is
            // opened, and fails naming itself).
            let special = (files.iter()).find(|f| std::fs::metadata(f).is_ok_and(|m| !m.is_file()));
            if let Some(f) = special {
                return Err(data_err!(
                    "{}: not a regular file (a FIFO, a socket or a device), which a folder's files must be: name it on the command line to read it, or move it out of {}",
                    crate::text::path_shown(f),
                    crate::text::path_shown(input)
                ));
            }
            if files.is_empty() {
                let compressed = match skipped.is_empty() {
                    true => String::new(),
                    false => format!(" ({})", crate::text::files_listed(&skipped, "; ")),
                };
                return Err(data_err!(
                    "{}: no .csv, .tsv, .parquet or .xlsx files (each also .gz) in this directory{}{compressed}",
                    crate::text::path_shown(input),
                    hidden_only(input)
                ));
            }
            // What cxm wrote into the folder (a `--rejects` file, a table of metrics)
            // is no data: skipped, and said with the folder's first file.
            let first = out.len();
            let mut per_ticket = Vec::new();
            for f in &files {
                once(f, Some(input))?;
            }
            for f in files {
                let source = open_file_with(&f, encoding, sheet, delimiter)?;
                match cxm_written(&source) {
                    Some(Written::Output(what)) => skipped.push(format!(
                        "{}: skipped, {what}, not data",
                        crate::text::path_shown(&f)
                    )),
                    Some(Written::PerTicket) => per_ticket.push(source),
                    None => out.push(source),
                }
            }
            // A `--per-ticket` table beside the export it was worked out from is
            // cxm's; alone, it is the tickets (an export of those columns is).
            match out.len() == first {
                true => out.append(&mut per_ticket),
                false => skipped.extend(
                    per_ticket
                        .iter()
                        .map(|s| format!("{}: skipped, {PER_TICKET}, not data", s.name)),
                ),
            }
            skipped.sort();
            if out.len() == first {
                return Err(data_err!(
                    "{}: no data files, only what cxm wrote ({})",
                    crate::text::path_shown(input),
                    crate::text::files_listed(&skipped, "; ")
                ));
            }
            out[first].skipped_beside = skipped;
        } else {
            out.push(open_file_with(input, encoding, sheet, delimiter)?);
        }
    }
    Ok(out)
}

/// A stream as it is read (stdin, a FIFO, `/dev/stdin`): waiting for its bytes (left
/// non-blocking by the program that started cxm, it answers "try again", EAGAIN,
/// while its writer has not written), and ended at its first end (a terminal's
/// Ctrl-D is one end, a FIFO's writer closing another: read again, either would give
/// what came after).
struct Waiting<R> {
    inner: R,
    ended: bool,
}

impl<R> Waiting<R> {
    fn new(inner: R) -> Self {
        Waiting {
            inner,
            ended: false,
        }
    }
}

impl<R: Read + std::os::fd::AsRawFd> Read for Waiting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.ended {
            return Ok(0);
        }
        loop {
            match self.inner.read(buf) {
                Ok(0) if !buf.is_empty() => {
                    self.ended = true;
                    return Ok(0);
                }
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                    let mut ready = libc::pollfd {
                        fd: self.inner.as_raw_fd(),
                        events: libc::POLLIN,
                        revents: 0,
                    };
                    // SAFETY: poll reads and fills the one pollfd it is given.
                    unsafe { libc::poll(&mut ready, 1, -1) };
                }
                read => return read,
            }
        }
    }
}

/// The size and modification time of the file on stdin, when it is a regular file
/// (not a pipe or a terminal).
fn stdin_file_state() -> Option<(u64, Option<std::time::SystemTime>)> {
    use std::os::fd::AsFd;
    let file = File::from(std::io::stdin().as_fd().try_clone_to_owned().ok()?);
    let meta = file.metadata().ok()?;
    meta.is_file().then(|| (meta.len(), meta.modified().ok()))
}

/// What cxm wrote into a folder, told apart from data.
enum Written {
    /// A `--rejects` file, a table of metrics, or a tidy report: never data.
    Output(&'static str),
    /// A `tickets --per-ticket` table under a name not starting `tickets`.
    PerTicket,
}

/// How a folder's reader names a skipped `--per-ticket` table.
pub const PER_TICKET: &str = "a tickets --per-ticket table cxm wrote";

/// What cxm wrote, if a folder's CSV is that, by its header: a `--rejects` file, a
/// table of metrics, a tidy report whose first row names one of `report`'s sections
/// (an export may share its columns, not its sections), or a `--per-ticket` table
/// not named as tickets (as `report DIR` tells them).
fn cxm_written(source: &Source) -> Option<Written> {
    if source.format != FileFormat::Csv {
        return None;
    }
    // cxm writes commas, whatever `--delimiter` says of the data.
    let sniffed = sniff(source, Some(b','), 1).ok()?;
    let first = sniffed.rows().next().and_then(|r| r.get(0));
    let sections = &crate::compute::report::SECTIONS;
    let own = super::fields::cxm_output(&sniffed.headers).filter(|w| {
        *w != super::fields::TIDY_REPORT || first.is_none_or(|s| sections.contains(&s))
    });
    if let Some(what) = own {
        return Some(Written::Output(what));
    }
    let named_tickets = (Path::new(&source.name).file_name()).is_some_and(|n| {
        n.to_string_lossy()
            .to_ascii_lowercase()
            .starts_with("tickets")
    });
    (super::fields::per_ticket_table(&sniffed.headers) && !named_tickets)
        .then_some(Written::PerTicket)
}

pub fn is_data_name(p: &Path) -> bool {
    p.is_file() && has_data_extension(p)
}

/// Said where a folder yields no file: its hidden data files, which are not read.
pub fn hidden_only(folder: &Path) -> &'static str {
    let hidden = std::fs::read_dir(folder).is_ok_and(|d| {
        d.filter_map(|e| e.ok().map(|e| e.path()))
            .any(|p| has_data_extension(&p) && !read_from_folder(&p) && !p.is_dir())
    });
    match hidden {
        true => " (a hidden one, its name starting with '.', is not read: name it, or rename it)",
        false => "",
    }
}

/// A file a folder's reader takes: a data file's extension, and no hidden name (macOS
/// writes `._tickets.csv` beside `tickets.csv` on shared drives; `*.csv` in a shell
/// passes over such names too).
pub fn read_from_folder(p: &Path) -> bool {
    let hidden = p
        .file_name()
        .is_some_and(|n| n.as_encoded_bytes().starts_with(b"."));
    has_data_extension(p) && !hidden && lock_file(p).is_none()
}

/// Office's lock file beside a workbook open now (`~$tickets.xlsx`): no data.
fn lock_file(p: &Path) -> Option<&'static str> {
    let lock = p.file_name()?.as_encoded_bytes().starts_with(b"~$");
    lock.then_some("an Office lock file (its workbook is open in Excel), no data")
}

/// A folder's files that look like data cxm does not read (compressed otherwise than
/// by gzip, a spreadsheet of another kind than .xlsx), each `path: skipped, why`,
/// sorted: said, not passed over without a word.
pub fn not_read_in_folder(entries: &[PathBuf]) -> Vec<String> {
    let mut said: Vec<String> = (entries.iter())
        .filter(|p| !p.is_dir())
        .filter_map(|p| {
            let why =
                (compressed_data(p).or_else(|| other_spreadsheet(p))).or_else(|| lock_file(p))?;
            Some(format!("{}: skipped, {why}", crate::text::path_shown(p)))
        })
        .collect();
    said.sort();
    said
}

/// A spreadsheet cxm does not read, by its extension (not a hidden name).
fn other_spreadsheet(p: &Path) -> Option<&'static str> {
    let name = p.file_name()?.to_string_lossy().to_ascii_lowercase();
    if name.starts_with('.') {
        return None;
    }
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    [
        (
            ".xls",
            "an Excel 97–2003 workbook (.xls), which cxm does not read (save it as .xlsx or CSV)",
        ),
        (
            ".xlsb",
            "an Excel binary workbook (.xlsb), which cxm does not read (save it as .xlsx or CSV)",
        ),
        (
            ".ods",
            "an OpenDocument spreadsheet (.ods), which cxm does not read (save it as .xlsx or CSV)",
        ),
        (
            ".numbers",
            "a Numbers spreadsheet, which cxm does not read (export it as .xlsx or CSV)",
        ),
    ]
    .into_iter()
    .find_map(|(ext, why)| name.ends_with(ext).then_some(why))
}

/// What compresses a data file otherwise than by gzip (`tickets.csv.bz2`), said as
/// a folder's reader skips it; None for any other file.
fn compressed_data(p: &Path) -> Option<&'static str> {
    let name = p.file_name()?.to_string_lossy().to_ascii_lowercase();
    let (stem, kind) = [
        (
            ".bz2",
            "compressed with bzip2, which cxm does not read (bunzip2 it, or gzip it)",
        ),
        (
            ".xz",
            "compressed with xz, which cxm does not read (unxz it, or gzip it)",
        ),
        (
            ".zst",
            "compressed with zstd, which cxm does not read (unzstd it, or gzip it)",
        ),
        (
            ".7z",
            "a 7-Zip archive, which cxm does not read (extract it)",
        ),
        (".zip", "a zip archive, which cxm does not read (unzip it)"),
    ]
    .into_iter()
    .find_map(|(ext, kind)| Some((name.strip_suffix(ext)?.to_string(), kind)))?;
    let hidden = name.starts_with('.');
    (!hidden && has_data_extension(Path::new(&stem))).then_some(kind)
}

/// A data file's extension, whatever the rest of the name (one not in UTF-8, as a
/// Latin-1 share writes `tickets_é.csv`, too).
pub fn has_data_extension(p: &Path) -> bool {
    let name = p
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default()
        .to_ascii_lowercase();
    [
        ".csv",
        ".csv.gz",
        ".tsv",
        ".tsv.gz",
        ".parquet",
        ".parquet.gz",
        ".xlsx",
        ".xlsx.gz",
        ".xlsm",
        ".xlsm.gz",
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
    // A regular file is read again (it may have changed, and is checked for that).
    let regular_file = std::fs::metadata(path).is_ok_and(|m| m.is_file());
    if let Some(source) = copy_of_stream(path, sheet).filter(|_| !regular_file) {
        return Ok(source);
    }
    // Shown as every message shows text: a line break in a file's name would start
    // a line of its own (`cxm: error: …` forged by a file dropped in a folder).
    let name = crate::text::printable(&path.display().to_string());
    let file = File::open(path).map_err(|e| data_err!("{name}: cannot open: {e}"))?;
    let meta = file.metadata().ok();
    let mut file = Waiting::new(file);
    let regular = meta.as_ref().is_some_and(|m| m.is_file());
    if let Some(meta) = meta.as_ref().filter(|_| regular) {
        super::unchanged::note(path, &name, meta);
    }
    let mut head = vec![0u8; JUDGED];
    let n = read_up_to(&mut file, &mut head).map_err(|e| data_err!("{name}: cannot read: {e}"))?;
    head.truncate(n);
    // A workbook is told by its content, whatever its name (through a pipe, by its
    // copy, below).
    if head.starts_with(super::excel::ZIP_MAGIC) && regular {
        return super::excel::spool(path, &name, sheet).map_err(|e| not_a_workbook(e, &name));
    }
    legacy_workbook(&head, &name)?;
    if head.starts_with(super::parquet::MAGIC) && regular {
        return Ok(Source {
            name,
            path: path.to_path_buf(),
            format: FileFormat::Parquet,
            sheet_row: None,
            line_offset: 0,
            note: None,
            skipped_beside: Vec::new(),
            delimiter: None,
            other_sheets: Vec::new(),
            other_tables: Vec::new(),
            left_out: None,
            typed_dates: Vec::new(),
            footer_zone: None,
            long_numbers: Vec::new(),
            parquet_copy: false,
            _spool: None,
        });
    }
    let gzip = head.starts_with(&GZIP_MAGIC);
    let utf16 = head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]);
    let parquet = head.starts_with(super::parquet::MAGIC);
    // Named Parquet, of bytes that are no text: a Parquet file damaged at its start,
    // which an encoding's advice would not help.
    let named_parquet = (path.extension()).is_some_and(|e| e.eq_ignore_ascii_case("parquet"));
    if named_parquet
        && !parquet
        && !gzip
        && !utf16
        && std::str::from_utf8(&head).is_err_and(|e| e.error_len().is_some())
    {
        return Err(data_err!(
            "{name}: named .parquet but not a Parquet file (it does not start with PAR1): damaged at its start, or not Parquet"
        ));
    }
    if !regular
        || gzip
        || utf16
        || parquet
        || encoding == Encoding::Latin1
        || (encoding == Encoding::Auto && windows_1252_note(&name, &head, n < JUDGED).is_some())
        || has_lone_cr(&head, n < JUDGED)
        // No LF in 64 KiB: a first line that long, or lines that end otherwise.
        || (n == JUDGED && !head.contains(&b'\n'))
    {
        let mut bytes = std::io::Cursor::new(head).chain(file);
        return match regular {
            true => spool(&name, &mut bytes, encoding, sheet),
            false => spool_once(path, sheet, || spool(&name, &mut bytes, encoding, sheet)),
        };
    }
    Ok(Source {
        name,
        path: path.to_path_buf(),
        format: FileFormat::Csv,
        sheet_row: None,
        line_offset: 0,
        note: None,
        skipped_beside: Vec::new(),
        delimiter: None,
        other_sheets: Vec::new(),
        other_tables: Vec::new(),
        left_out: None,
        typed_dates: Vec::new(),
        footer_zone: None,
        long_numbers: Vec::new(),
        parquet_copy: false,
        _spool: None,
    })
}

/// How much of a file is looked at before deciding how to read it.
pub(super) const HEAD: usize = 64 * 1024;

/// The start of a file judged for its encoding: 64 KiB, and the 3 bytes after them
/// that tell a character cut off by their end from bytes that are not UTF-8 (`é`
/// then `z` in Windows-1252).
pub(super) const JUDGED: usize = HEAD + 3;
/// The last bytes of a file looked at for a footer.
pub(super) const TAIL: usize = 4 * 1024;

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

/// The start of a compound file: an Excel 97–2003 workbook (`.xls`), or another
/// Office file of that age.
const COMPOUND_FILE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// An `.xls` workbook is named for what it is, not read as text that is not UTF-8.
fn legacy_workbook(head: &[u8], name: &str) -> Result<()> {
    match head.starts_with(&COMPOUND_FILE_MAGIC) {
        true => legacy_workbook_start(&COMPOUND_FILE_MAGIC[..4], name),
        false => Ok(()),
    }
}

/// [`legacy_workbook`] of the first 4 bytes a gzip holds.
fn legacy_workbook_start(start: &[u8], name: &str) -> Result<()> {
    match start == &COMPOUND_FILE_MAGIC[..4] {
        true => Err(data_err!(
            "{name}: an Excel 97–2003 workbook (.xls), which cxm does not read: save it as .xlsx or CSV"
        )),
        false => Ok(()),
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

/// Copy `from` into a spool: a failed read is the input's (exit 3), a failed write the
/// machine's (a full disk, `ulimit -f`: exit 1), not the export's fault.
fn copied(from: &mut dyn Read, to: &mut dyn Write, name: &str) -> Result<()> {
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = match from.read(&mut buf) {
            Ok(0) => return Ok(()),
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(data_err!("{name}: cannot read: {e}")),
        };
        to.write_all(&buf[..n]).map_err(|e| spool_failed(name, e))?;
    }
}

fn spool_failed(name: &str, e: std::io::Error) -> CxmError {
    // Its kind alone: the error may name the temporary file, gone with the run.
    let folder = std::env::temp_dir();
    CxmError::Internal(format!(
        "{name}: cannot copy to a temporary file in {}: {}",
        folder.display(),
        e.kind()
    ))
}

/// Copy a stream (decompressing gzip, transcoding to UTF-8) into a temporary file.
fn spool(
    name: &str,
    reader: &mut dyn Read,
    encoding: Encoding,
    sheet: Option<&str>,
) -> Result<Source> {
    let mut head = [0u8; 8];
    let n = read_up_to(reader, &mut head).map_err(|e| data_err!("{name}: cannot read: {e}"))?;
    legacy_workbook(&head[..n], name)?;
    let mut chained: Box<dyn Read + '_> = Box::new(head[..n].chain(reader));
    let trailing = std::rc::Rc::new(std::cell::Cell::new(0u64));
    if head[..n.min(2)] == GZIP_MAGIC {
        let mut plain = GzMembers::new(BufReader::new(chained), trailing.clone());
        let mut inner = [0u8; 4];
        let k = read_up_to(&mut plain, &mut inner)
            .map_err(|e| data_err!("{name}: cannot read: {e}"))?;
        legacy_workbook_start(&inner[..k], name)?;
        let mut unzipped = std::io::Cursor::new(inner[..k].to_vec()).chain(plain);
        // A gzip of a Parquet file, a workbook or a gzip (`t.parquet.gz`) is read
        // as what it holds.
        let held = [&super::parquet::MAGIC[..], &super::excel::ZIP_MAGIC[..]];
        if held.contains(&&inner[..k]) || inner[..k.min(2)] == GZIP_MAGIC {
            let mut source = spool(name, &mut unzipped, encoding, sheet)?;
            source.note = with_trailing(source.note.take(), trailing.get(), name);
            return Ok(source);
        }
        chained = Box::new(unzipped);
    }
    // A workbook (`cat book.xlsx | cxm tickets -`): copied as it is, then read as a
    // workbook file is.
    if head[..n].starts_with(&super::excel::ZIP_MAGIC[..]) {
        let mut book =
            crate::cleanup::temp_file_in(&std::env::temp_dir(), "cxm-input-", ".xlsx", 0o600)
                .map_err(|e| CxmError::Internal(format!("cannot create a temporary file: {e}")))?;
        copied(&mut chained, &mut book, name)?;
        return super::excel::spool(book.path(), name, sheet).map_err(|e| not_a_workbook(e, name));
    }
    // Private: a spool is a copy of the user's data.
    let mut tmp = crate::cleanup::temp_file_in(&std::env::temp_dir(), "cxm-input-", ".csv", 0o600)
        .map_err(|e| CxmError::Internal(format!("cannot create a temporary file: {e}")))?;
    // Parquet is copied as it is: it is read from the copy by random access.
    let format = if head[..n].starts_with(&super::parquet::MAGIC[..]) {
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
    copied(&mut body, &mut writer, name)?;
    writer.flush().map_err(|e| spool_failed(name, e))?;
    drop(writer);
    drop(body);
    let mut source = Source::spooled(name.to_string(), tmp, format, None);
    let mixed = watch.and_then(|w| w.borrow_mut().found.take());
    source.note = match (told, mixed) {
        (Some(told), Some(mixed)) => Some(format!("{told}; {name}: {mixed}")),
        (None, Some(mixed)) => Some(format!("{name}: {mixed}")),
        (told, None) => told,
    };
    source.note = with_trailing(source.note.take(), trailing.get(), name);
    Ok(source)
}

/// `note` and what a gzip's `trailing` bytes after its data say.
fn with_trailing(note: Option<String>, trailing: u64, name: &str) -> Option<String> {
    let after = match trailing {
        0 => None,
        1 => Some(format!("{name}: 1 byte after the gzip data is not read")),
        n => Some(format!("{name}: {n} bytes after the gzip data are not read (padding, or a file copied onto its end?)")),
    };
    match (note, after) {
        (Some(a), Some(b)) => Some(format!("{a}; {b}")),
        (a, b) => a.or(b),
    }
}

/// A gzip stream's members one after another, as `gzip -d` reads them; bytes after
/// the last member that start no other (zeros a copy was padded with) end the data
/// and are counted in `trailing`, where flate2's multi-member reader fails on them.
struct GzMembers<R: std::io::BufRead> {
    member: Option<flate2::bufread::GzDecoder<Peeked<R>>>,
    trailing: std::rc::Rc<std::cell::Cell<u64>>,
}

impl<R: std::io::BufRead> GzMembers<R> {
    fn new(reader: R, trailing: std::rc::Rc<std::cell::Cell<u64>>) -> Self {
        let reader = Peeked {
            held: Vec::new(),
            at: 0,
            inner: reader,
        };
        GzMembers {
            member: Some(flate2::bufread::GzDecoder::new(reader)),
            trailing,
        }
    }
}

impl<R: std::io::BufRead> Read for GzMembers<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        use std::io::BufRead;
        loop {
            let Some(member) = self.member.as_mut() else {
                return Ok(0);
            };
            let n = member.read(buf)?;
            if n > 0 || buf.is_empty() {
                return Ok(n);
            }
            // The member ended: another follows, or the data does.
            let Some(member) = self.member.take() else {
                return Ok(0);
            };
            let mut rest = member.into_inner();
            let next = rest.peek(GZIP_MAGIC.len())?;
            if next.is_empty() {
                return Ok(0);
            }
            if next == GZIP_MAGIC {
                self.member = Some(flate2::bufread::GzDecoder::new(rest));
                continue;
            }
            let mut count = 0u64;
            loop {
                let k = rest.fill_buf()?.len();
                if k == 0 {
                    break;
                }
                count += k as u64;
                rest.consume(k);
            }
            self.trailing.set(count);
            return Ok(0);
        }
    }
}

/// A buffered reader whose next bytes can be looked at past its buffer's end (a
/// member's end may leave one byte of the next member's two-byte magic buffered).
struct Peeked<R> {
    held: Vec<u8>,
    at: usize,
    inner: R,
}

impl<R: std::io::BufRead> Peeked<R> {
    /// Up to `k` next bytes (fewer at the end), not consumed.
    fn peek(&mut self, k: usize) -> std::io::Result<&[u8]> {
        self.held.drain(..self.at);
        self.at = 0;
        while self.held.len() < k {
            let buf = self.inner.fill_buf()?;
            if buf.is_empty() {
                break;
            }
            let take = (k - self.held.len()).min(buf.len());
            self.held.extend_from_slice(&buf[..take]);
            self.inner.consume(take);
        }
        Ok(&self.held[..self.held.len().min(k)])
    }
}

impl<R: std::io::BufRead> Read for Peeked<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        use std::io::BufRead;
        let n = {
            let buf = self.fill_buf()?;
            let n = buf.len().min(out.len());
            out[..n].copy_from_slice(&buf[..n]);
            n
        };
        self.consume(n);
        Ok(n)
    }
}

impl<R: std::io::BufRead> std::io::BufRead for Peeked<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        match self.at < self.held.len() {
            true => Ok(&self.held[self.at..]),
            false => self.inner.fill_buf(),
        }
    }

    fn consume(&mut self, n: usize) {
        match self.at < self.held.len() {
            true => self.at = (self.at + n).min(self.held.len()),
            false => self.inner.consume(n),
        }
    }
}

pub(super) fn read_up_to(r: &mut dyn Read, buf: &mut [u8]) -> std::io::Result<usize> {
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
/// The header record atop `body`: its first line, with the lines a quoted cell
/// spans (a header cell of wrapped text, `"Internal` then `note";ticket_id`).
/// Only a quote opening a cell quotes (a stray `12"` is text, as the reader takes it).
pub(super) fn first_record(body: &[u8]) -> &[u8] {
    first_record_or_open(body).0
}

/// Does the header atop `body` open a quoted cell that nothing in `body` closes?
fn header_quote_left_open(body: &[u8]) -> bool {
    first_record_or_open(body).1
}

/// [`first_record`], and whether a quote opening one of its cells is left open to
/// the end of `body`.
fn first_record_or_open(body: &[u8]) -> (&[u8], bool) {
    let first_line = || body.split(|&b| b == b'\n').next().unwrap_or(body);
    let (mut i, mut cell_start) = (0, true);
    while let Some(&b) = body.get(i) {
        if cell_start && b == b'"' {
            i += 1;
            loop {
                match body.get(i) {
                    // A quote left open to the end: the first line, as before.
                    None => return (first_line(), true),
                    Some(b'"') if body.get(i + 1) == Some(&b'"') => i += 2,
                    Some(b'"') => break,
                    Some(_) => i += 1,
                }
            }
            (i, cell_start) = (i + 1, false);
            continue;
        }
        match b {
            b'\n' => return (&body[..i], false),
            b',' | b';' | b'\t' | b'|' => cell_start = true,
            _ => cell_start = false,
        }
        i += 1;
    }
    (body, false)
}

pub(super) fn detect_delimiter(first_line: &[u8]) -> u8 {
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
    if skip == 0 && header.is_none() {
        return Ok(src);
    }
    if src.format == FileFormat::Parquet {
        return with_header(super::parquet::as_csv(src)?, b',', header, skip);
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
    let original: Vec<String> = (record.iter())
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect();
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
    out.footer_zone = src.footer_zone;
    out.skipped_beside = src.skipped_beside.clone();
    out.other_sheets = src.other_sheets.clone();
    out.other_tables = src.other_tables.clone();
    out.left_out = src.left_out.clone();
    out.parquet_copy = src.parquet_copy;
    let renamed = |column: &String| {
        let at = original.iter().position(|o| o == column);
        header
            .zip(at)
            .and_then(|(names, at)| names.get(at))
            .unwrap_or(column)
            .clone()
    };
    // Date cells and long numbers keep their columns, under the names given.
    out.long_numbers = (src.long_numbers.iter())
        .map(|(column, n, first)| (renamed(column), *n, first.clone()))
        .collect();
    out.typed_dates = (src.typed_dates.iter())
        .map(|(column, all)| (renamed(column), *all))
        .collect();
    Ok(out)
}

/// Read the header and up to `sample_rows` records.
pub fn sniff(src: &Source, delimiter: Option<u8>, sample_rows: usize) -> Result<Sniffed> {
    if src.format == FileFormat::Parquet {
        return super::parquet::sniff(src, sample_rows);
    }
    let mut file =
        File::open(&src.path).map_err(|e| data_err!("{}: cannot open: {e}", src.name))?;
    let mut head = vec![0u8; HEAD];
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
    let first_line = first_record(body);
    // A sheet's copy is written with commas, whatever `--delimiter` says of the CSVs.
    let delimiter = match src.sheet_row {
        Some(_) => b',',
        None => (delimiter.or(src.delimiter)).unwrap_or_else(|| detect_delimiter(first_line)),
    };
    // The original file's line of the header (past a title, `sep=`).
    let header_line = 1 + src.line_offset;
    // A stray quote in the header (`size 12"`) would have the block reader take the
    // whole file for the header: zero rows, no error.
    if let Ok(Some(quote)) = super::records::misplaced_quote_in(first_line, delimiter) {
        let what = match quote.inside {
            true => "a quote inside a column name that does not start with one",
            false => "text after a quoted column name's closing quote",
        };
        return Err(data_err!(
            "{}:{}: {what} (column {}); readers split such a header differently: write the name in quotes, each quote in it doubled (\"a\"\"b\")",
            src.name,
            header_line,
            quote.field + 1
        ));
    }
    // A quote opening a column name that nothing after it closes: the reader would
    // take the whole file for the header (no rows, no error).
    // Within the head read when that is the whole file; else (a quoted name may run
    // past it) by a look at the whole file, on this rare path only.
    let left_open = header_quote_left_open(body)
        && (n < HEAD || super::records::unterminated_quote(&src.path).is_ok_and(|l| l == Some(1)));
    if left_open {
        return Err(data_err!(
            "{}:{header_line}: a quote opened on this line is never closed (in the header)",
            src.name
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
        return Err(data_err!(
            "{}: {}",
            src.name,
            super::record_too_long(header_line)
        ));
    }
    let mut sample = Vec::new();
    for record in reader.records().take(sample_rows) {
        // The earliest cause in the file, not the first the CSV reader trips on (a
        // stray quote runs its record on to a later line's bad byte).
        let record = record.map_err(|e| {
            match super::records::read_problem(
                &src.path,
                &src.name,
                delimiter,
                &headers,
                src.line_offset,
            ) {
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

/// Values a column holds past the sampled rows, this many at most: enough to tell a
/// format by.
pub const PAST_SAMPLE: usize = 200;

/// Each column's first values (`filled`) past the sampled records, up to
/// [`PAST_SAMPLE`] a column, read on in one pass to the file's end or until every
/// column has them: whether a column is blank is the whole file's to say, not its
/// first rows' (an export sorted by status opens with thousands of unresolved
/// tickets), and the values past the sample tell its format. Parquet files are
/// judged on their sample (none past it here).
pub fn past_sample(
    src: &Source,
    sniffed: &Sniffed,
    filled: impl Fn(&str) -> bool,
) -> Vec<Vec<String>> {
    let width = sniffed.headers.len();
    let mut out: Vec<Vec<String>> = vec![Vec::new(); width];
    if src.format == FileFormat::Parquet {
        return out;
    }
    let Ok(file) = File::open(&src.path) else {
        return out;
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(sniffed.delimiter)
        .flexible(true)
        .from_reader(BufReader::new(file));
    let mut record = csv::StringRecord::new();
    let (mut read, mut full) = (0, 0);
    // A record the reader cannot read ends the look: the metric pass says why.
    while full < width && reader.read_record(&mut record).unwrap_or(false) {
        read += 1;
        // A ragged record is rejected whole: its values say nothing of a column.
        if read <= sniffed.sample.len() || is_ragged(&record, width) {
            continue;
        }
        for (k, values) in out.iter_mut().enumerate() {
            let Some(v) = record
                .get(k)
                .filter(|v| values.len() < PAST_SAMPLE && filled(v))
            else {
                continue;
            };
            values.push(v.to_string());
            full += usize::from(values.len() == PAST_SAMPLE);
        }
    }
    out
}

/// A csv-crate error as a data error naming file and line.
pub fn csv_error(name: &str, path: &Path, e: csv::Error) -> CxmError {
    let line = e
        .position()
        .map(|p| format!(":{}", p.line()))
        .unwrap_or_default();
    match e.kind() {
        csv::ErrorKind::Utf8 { .. } => {
            data_err!("{}", not_utf8(name, &format!("{name}{line}"), path))
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
        // The header record, over the lines its quoted cells span.
        let wrapped = b"\"Internal\nnote\";ticket_id;\"a,\"\"b\"\"\nc\"\nx;1;2\n";
        assert_eq!(first_record(wrapped), &wrapped[..wrapped.len() - 7]);
        assert_eq!(detect_delimiter(first_record(wrapped)), b';');
        // A stray quote is text; an unclosed one gives the first line.
        assert_eq!(first_record(b"size 12\",b\nx,\"y\"\n"), b"size 12\",b");
        assert_eq!(first_record(b"\"open,b\nx,y\n"), b"\"open,b");
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
        // Mostly CJK: the NULs beside its commas, digits and line ends tell it.
        let names: String = (0..20)
            .map(|i| format!("T{i},山田太郎東京大阪\n"))
            .collect();
        let cjk: Vec<u8> = names.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        assert!(unreadable_kind(&cjk).is_some_and(|m| m.contains("UTF-16LE")));
        // Bytes with NULs on both sides are no UTF-16.
        let binary: Vec<u8> = (0..512u32).map(|i| (i * 7 % 5) as u8).collect();
        assert_eq!(unreadable_kind(&binary), None);
    }
}
