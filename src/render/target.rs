//! Where bytes go: stdout, or a file replaced atomically.
//!
//! A regular file (or a path that does not exist yet) is written as a temporary file
//! in the same folder and renamed over it, so a failed run never leaves a partial
//! file. The new file gets the mode the umask gives (as `>` in a shell would); a
//! replaced file keeps its mode and owner. A symlink is followed, so the link stays
//! and its target is replaced. A file with other names (hard links) is replaced
//! under the name given alone: written in place, an interrupted run would leave half
//! a report under every name. Anything else (a device such as `/dev/null`, a FIFO,
//! a socket) is opened and written in place: renaming over it would destroy it.

use std::fs;
use std::io::Write;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use crate::cleanup;
use crate::error::{CxmError, Result};

/// Where the report goes.
#[derive(Debug, Clone)]
pub enum Target {
    Stdout,
    File(PathBuf),
}

/// Symlinks followed before giving up (the kernel's own limit).
const MAX_LINKS: usize = 40;

/// What a path is once its symlinks are followed.
/// May this process create files in `dir`? If not, why (permission denied, a
/// read-only file system).
fn writable(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let Ok(name) = std::ffi::CString::new(dir.as_os_str().as_bytes()) else {
        return Ok(());
    };
    // SAFETY: `name` is a NUL-terminated path that lives across the call.
    match unsafe { libc::access(name.as_ptr(), libc::W_OK | libc::X_OK) } {
        0 => Ok(()),
        _ => Err(std::io::Error::last_os_error()),
    }
}

enum Kind {
    Missing,
    Regular(fs::Metadata),
    Directory,
    Special,
    /// One of this process's open descriptors (`/dev/stdout`, `/dev/fd/N` of a
    /// shell's `>(…)`): written through it, as the shell opened it (appending after
    /// `>>`), never replaced.
    Descriptor(i32),
}

impl Target {
    /// Fail early, before any work: stdout closed, the output folder missing, or the
    /// path a directory.
    pub fn check(&self) -> Result<()> {
        match self {
            Target::Stdout => check_stdout_open(),
            Target::File(path) => {
                let (resolved, kind) = resolve(path)?;
                if matches!(kind, Kind::Directory) {
                    return Err(CxmError::Usage(format!(
                        "{} is a directory: give a file name",
                        crate::text::path_shown(path)
                    )));
                }
                // `newdir/`: a folder's name, and no such folder.
                if path.as_os_str().as_encoded_bytes().ends_with(b"/") {
                    return Err(CxmError::Usage(format!(
                        "{}: names a folder, which does not exist: give a file name",
                        crate::text::path_shown(path)
                    )));
                }
                // A file the shell's `>` could not write (read-only): not replaced.
                if let Kind::Regular(_) = kind {
                    if let Err(e) = fs::OpenOptions::new().write(true).open(&resolved) {
                        if e.kind() == std::io::ErrorKind::PermissionDenied {
                            return Err(CxmError::Internal(format!(
                                "cannot write {}: {e}",
                                crate::text::path_shown(path)
                            )));
                        }
                    }
                }
                let dir = parent_dir(&resolved);
                if matches!(kind, Kind::Missing) && !dir.is_dir() {
                    return Err(CxmError::Usage(format!(
                        "{}: folder '{}' does not exist",
                        crate::text::path_shown(path),
                        crate::text::path_shown(&dir)
                    )));
                }
                // The file is written beside itself, then renamed over: a folder this
                // process cannot write to would fail only after the work (and after
                // another output was written).
                // In a sticky folder (`/tmp`), another user's file cannot be renamed
                // over.
                let sticky_other = match &kind {
                    Kind::Regular(meta) => fs::metadata(&dir).is_ok_and(|d| {
                        // SAFETY: geteuid has no preconditions.
                        let me = unsafe { libc::geteuid() };
                        d.mode() & 0o1000 != 0 && me != 0 && meta.uid() != me && d.uid() != me
                    }),
                    _ => false,
                };
                let refused = match writable(&dir) {
                    Err(e) => Some(e),
                    Ok(()) if sticky_other => Some(std::io::Error::from_raw_os_error(libc::EACCES)),
                    Ok(()) => None,
                };
                if let Some(e) =
                    refused.filter(|_| matches!(kind, Kind::Missing | Kind::Regular(_)))
                {
                    return Err(CxmError::Internal(format!(
                        "cannot write {}: in {}: {e}",
                        crate::text::path_shown(path),
                        crate::text::path_shown(&dir),
                    )));
                }
                Ok(())
            }
        }
    }

    /// Write the bytes (see the module documentation for how).
    pub fn write(&self, bytes: &[u8]) -> Result<()> {
        self.write_with(&mut |out| out.write_all(bytes))
    }

    /// [`Target::write`] of what `produce` writes, as it writes it; a file named
    /// `….gz` gets it gzip-compressed, as its name says (and as cxm reads it back).
    pub fn write_with(&self, produce: Producer) -> Result<()> {
        // Figures of a file rewritten while it was read are of no one file.
        crate::input::unchanged::check()?;
        let written = self.write_now(produce);
        if let (Target::File(path), Ok(())) = (self, &written) {
            crate::input::unchanged::forget(path);
        }
        written
    }

    /// [`Target::write_with`] without the inputs' check.
    fn write_now(&self, produce: Producer) -> Result<()> {
        if let Target::File(path) = self {
            if path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("gz"))
            {
                return self.write_uncompressed(&mut |out| {
                    let mut gz = flate2::write::GzEncoder::new(out, flate2::Compression::default());
                    produce(&mut gz)?;
                    gz.finish().map(|_| ())
                });
            }
        }
        self.write_uncompressed(produce)
    }

    fn write_uncompressed(&self, produce: Producer) -> Result<()> {
        match self {
            Target::Stdout => {
                check_stdout_open()?;
                // Through descriptor 1 itself: Rust's stdout takes a descriptor
                // that refuses writes (opened read-only, `1<file`) as a sink.
                let _ = std::io::stdout().flush();
                match write_descriptor(libc::STDOUT_FILENO, produce) {
                    Err(e) if broken_pipe(&e) => Ok(()),
                    Err(e) => Err(CxmError::Internal(format!("cannot write to stdout: {e}"))),
                    Ok(()) => Ok(()),
                }
            }
            Target::File(path) => {
                let fail = |e: std::io::Error| {
                    CxmError::Internal(format!(
                        "cannot write {}: {e}",
                        crate::text::path_shown(path)
                    ))
                };
                let (resolved, kind) = resolve(path)?;
                match kind {
                    Kind::Special => {
                        let written =
                            fs::OpenOptions::new()
                                .write(true)
                                .open(&resolved)
                                .and_then(|f| {
                                    let mut f = std::io::BufWriter::with_capacity(1 << 16, f);
                                    produce(&mut f).and_then(|_| f.flush())
                                });
                        match written {
                            // A FIFO whose reader stopped reading, as on stdout.
                            Err(e) if broken_pipe(&e) => Ok(()),
                            written => written.map_err(fail),
                        }
                    }
                    Kind::Directory => Err(CxmError::Usage(format!(
                        "{} is a directory: give a file name",
                        crate::text::path_shown(path)
                    ))),
                    Kind::Descriptor(1) => Target::Stdout.write_uncompressed(produce),
                    // A reader that stopped reading (`-o >(head -1)`), as on stdout.
                    Kind::Descriptor(fd) => match write_descriptor(fd, produce) {
                        Err(e) if broken_pipe(&e) => Ok(()),
                        written => written.map_err(fail),
                    },
                    Kind::Missing => replace(&resolved, produce, None).map_err(fail),
                    Kind::Regular(meta) => replace(&resolved, produce, Some(&meta)).map_err(fail),
                }
            }
        }
    }
}

/// Files a run writes beside its report (`--rejects`), held until the run has
/// ended: a run that fails writing its report leaves them as they were.
static STAGED: std::sync::Mutex<Vec<(PathBuf, Vec<u8>)>> = std::sync::Mutex::new(Vec::new());

fn staged_files() -> std::sync::MutexGuard<'static, Vec<(PathBuf, Vec<u8>)>> {
    STAGED.lock().unwrap_or_else(|p| p.into_inner())
}

/// Hold `bytes` for `path` until [`commit_staged`] (replacing what was held for it).
pub fn stage(path: &Path, bytes: Vec<u8>) {
    let mut staged = staged_files();
    staged.retain(|(p, _)| p != path);
    staged.push((path.to_path_buf(), bytes));
}

/// What is held for `path`, taken back (a part merged into another file).
pub fn take_staged(path: &Path) -> Option<Vec<u8>> {
    let mut staged = staged_files();
    let at = staged.iter().position(|(p, _)| p == path)?;
    Some(staged.remove(at).1)
}

pub fn is_staged(path: &Path) -> bool {
    staged_files().iter().any(|(p, _)| p == path)
}

/// Write every held file, as [`Target::write`] does, then put it and every file
/// written whole before it in place at once (see [`hold_renames`]); where one cannot
/// be written, none is put in place.
pub fn commit_staged() -> Result<()> {
    let staged = std::mem::take(&mut *staged_files());
    let written = (|| {
        for (path, bytes) in staged {
            // `--rejects -`: stdout, when the report goes to a file.
            match path.as_os_str() == "-" {
                true => Target::Stdout.write(&bytes)?,
                false => Target::File(path).write(&bytes)?,
            }
        }
        Ok(())
    })();
    let held = std::mem::take(&mut *held_files());
    match written {
        Ok(()) => crate::cleanup::persist_all(held)
            .map_err(|e| CxmError::Internal(format!("cannot write: {e}"))),
        Err(e) => Err(e),
    }
}

/// Forget the held files: the run failed before its report was written (the
/// temporary files of the outputs written go with them).
pub fn discard_staged() {
    staged_files().clear();
    for (tmp, _) in std::mem::take(&mut *held_files()) {
        let path = tmp.path().to_path_buf();
        drop(tmp);
        crate::cleanup::forget(&path);
    }
}

/// Outputs written whole, held from their paths until [`commit_staged`] (while
/// [`hold_renames`] is on).
type Held = Vec<(tempfile::NamedTempFile, PathBuf)>;
static HELD: std::sync::Mutex<Held> = std::sync::Mutex::new(Vec::new());
static HOLDING: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

fn held_files() -> std::sync::MutexGuard<'static, Held> {
    HELD.lock().unwrap_or_else(|p| p.into_inner())
}

/// Hold every output's rename until the files written beside it are whole too
/// (`--rejects`): an interrupted run then leaves all the old files or all the new.
pub fn hold_renames() {
    HOLDING.store(true, std::sync::atomic::Ordering::SeqCst);
}

/// A reader that stopped reading (`| head`): the end of the run, not an error. The
/// CSV writer wraps the I/O error in its own, so the chain is searched.
fn broken_pipe(e: &std::io::Error) -> bool {
    let pipe = |io: &std::io::Error| io.kind() == std::io::ErrorKind::BrokenPipe;
    if pipe(e) {
        return true;
    }
    let mut inner: Option<&(dyn std::error::Error + 'static)> = e.get_ref().map(|r| r as _);
    while let Some(err) = inner {
        if err.downcast_ref::<std::io::Error>().is_some_and(pipe) {
            return true;
        }
        if let Some(c) = err.downcast_ref::<csv::Error>() {
            if let csv::ErrorKind::Io(io) = c.kind() {
                if pipe(io) {
                    return true;
                }
            }
        }
        inner = err.source();
    }
    false
}

/// What writes an output's bytes to the writer it is given.
pub type Producer<'a> = &'a mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>;

/// Write a temporary file beside `path` and rename it over `path`; `old` is the file
/// being replaced, whose mode and owner the new one keeps.
fn replace(path: &Path, produce: Producer, old: Option<&fs::Metadata>) -> std::io::Result<()> {
    // Mode 0666 less the umask, as for any new file.
    let mut tmp = cleanup::temp_file_in(&parent_dir(path), ".cxm-", "", 0o666)?;
    let written = (|| {
        {
            let flushing = EarlyWriteback::new(tmp.as_file_mut());
            let mut out = std::io::BufWriter::with_capacity(1 << 16, flushing);
            produce(&mut out)?;
            out.flush()?;
        }
        if let Some(old) = old {
            // Owner first: chown may clear set-id bits, which the mode then restores.
            // Only root may give a file away; otherwise the owner is already ours.
            let _ = std::os::unix::fs::fchown(tmp.as_file(), Some(old.uid()), Some(old.gid()));
            tmp.as_file()
                .set_permissions(fs::Permissions::from_mode(old.mode() & 0o7777))?;
        }
        tmp.as_file().sync_all()
    })();
    match written {
        Ok(()) if HOLDING.load(std::sync::atomic::Ordering::SeqCst) => {
            held_files().push((tmp, path.to_path_buf()));
            Ok(())
        }
        Ok(()) => cleanup::persist(tmp, path),
        Err(e) => {
            let tmp_path = tmp.path().to_path_buf();
            drop(tmp); // removed before it is forgotten
            cleanup::forget(&tmp_path);
            Err(e)
        }
    }
}

/// A file whose written bytes are handed to the disk every few MiB while the rest
/// is produced, so that the closing `fsync` waits for the last few alone (it waited
/// for all of a million-row CSV: a tenth of the run).
struct EarlyWriteback<'a> {
    file: &'a mut fs::File,
    written: u64,
    handed: u64,
}

/// Bytes written before they are handed to the disk.
const WRITEBACK_EVERY: u64 = 8 << 20;

impl<'a> EarlyWriteback<'a> {
    fn new(file: &'a mut fs::File) -> Self {
        EarlyWriteback {
            file,
            written: 0,
            handed: 0,
        }
    }

    /// Start writing out the bytes not yet handed over, without waiting for them.
    #[cfg(target_os = "linux")]
    fn hand_over(&mut self) {
        use std::os::fd::AsRawFd;
        let (from, len) = (self.handed, self.written - self.handed);
        // Only a hint: the closing `fsync` still waits for every byte.
        unsafe {
            libc::sync_file_range(
                self.file.as_raw_fd(),
                from as libc::off64_t,
                len as libc::off64_t,
                libc::SYNC_FILE_RANGE_WRITE,
            );
        }
        self.handed = self.written;
    }

    #[cfg(not(target_os = "linux"))]
    fn hand_over(&mut self) {}
}

impl Write for EarlyWriteback<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.file.write(buf)?;
        self.written += n as u64;
        if self.written - self.handed >= WRITEBACK_EVERY {
            self.hand_over();
        }
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

/// Follow symlinks to the path that is finally written, and say what it is.
fn resolve(path: &Path) -> Result<(PathBuf, Kind)> {
    let mut current = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        let meta = match fs::symlink_metadata(&current) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok((current, Kind::Missing))
            }
            // `report.csv/x.csv`: a file where the path needs a folder.
            Err(e) if e.kind() == std::io::ErrorKind::NotADirectory => {
                return Err(CxmError::Usage(format!(
                    "{}: a part of the path is a file, not a folder",
                    crate::text::path_shown(path)
                )))
            }
            Err(e) => {
                return Err(CxmError::Internal(format!(
                    "cannot write {}: {e}",
                    crate::text::path_shown(path)
                )))
            }
        };
        let file_type = meta.file_type();
        if let Some(fd) = own_descriptor(&current) {
            return Ok((current, Kind::Descriptor(fd)));
        }
        if file_type.is_symlink() {
            let link = fs::read_link(&current).map_err(|e| {
                CxmError::Internal(format!(
                    "cannot read link {}: {e}",
                    crate::text::path_shown(&current)
                ))
            })?;
            current = if link.is_absolute() {
                link
            } else {
                parent_dir(&current).join(link)
            };
            continue;
        }
        let kind = if file_type.is_file() {
            Kind::Regular(meta)
        } else if file_type.is_dir() {
            Kind::Directory
        } else {
            Kind::Special
        };
        return Ok((current, kind));
    }
    Err(CxmError::Usage(format!(
        "{}: too many levels of symbolic links",
        crate::text::path_shown(path)
    )))
}

/// The descriptor `path` names when it is an entry of this process's
/// `/proc/PID/fd` (however reached: `/dev/fd/N`, `/dev/stdout`, `/proc/self/fd/N`).
/// Its link text (`pipe:[…]`) is no path to follow.
fn own_descriptor(path: &Path) -> Option<i32> {
    let fd: i32 = path.file_name()?.to_str()?.parse().ok()?;
    let dir = fs::canonicalize(path.parent()?).ok()?;
    (dir == Path::new(&format!("/proc/{}/fd", std::process::id()))).then_some(fd)
}

/// Write to open descriptor `fd` through a duplicate of it.
fn write_descriptor(fd: i32, produce: Producer) -> std::io::Result<()> {
    use std::os::fd::BorrowedFd;
    // SAFETY: `fd` is listed in this process's /proc/PID/fd, so it is open; it is
    // only borrowed to be duplicated, and the duplicate is closed when dropped.
    let owned = unsafe { BorrowedFd::borrow_raw(fd) }.try_clone_to_owned()?;
    let mut out = std::io::BufWriter::with_capacity(1 << 16, Patient(fs::File::from(owned)));
    produce(&mut out)?;
    out.flush()
}

/// A descriptor written as fast as its reader takes the bytes: one left non-blocking
/// (stdout sharing a terminal or socket with a non-blocking stdin) answers "try
/// again" (EAGAIN) when full, and is waited on.
struct Patient(fs::File);

impl Write for Patient {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        use std::os::fd::AsRawFd;
        loop {
            match self.0.write(buf) {
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                    let mut ready = libc::pollfd {
                        fd: self.0.as_raw_fd(),
                        events: libc::POLLOUT,
                        revents: 0,
                    };
                    // SAFETY: poll reads and fills the one pollfd it is given.
                    unsafe { libc::poll(&mut ready, 1, -1) };
                }
                written => return written,
            }
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

pub(crate) fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);

/// Rust's runtime puts `/dev/null` on a closed descriptor 1 before `main`, so whether
/// stdout was closed (`>&-`) can only be seen earlier: this runs as the program is
/// loaded, before the runtime starts.
#[used]
#[link_section = ".init_array"]
static NOTE_CLOSED_STDOUT: extern "C" fn() = {
    extern "C" fn note() {
        // SAFETY: F_GETFD only reads the flags of descriptor 1.
        if unsafe { libc::fcntl(libc::STDOUT_FILENO, libc::F_GETFD) } == -1 {
            STDOUT_CLOSED.store(true, Ordering::Relaxed);
        }
    }
    note
};

/// Should descriptor 1 still be closed when `main` starts, put `/dev/null` on it, so
/// that no file opened later takes that number and receives the report. Call first
/// thing in `main`.
pub fn guard_stdout() {
    // SAFETY: F_GETFD only reads descriptor 1's flags; open and dup2 act on
    // descriptors this process owns, before any other thread exists.
    unsafe {
        if libc::fcntl(libc::STDOUT_FILENO, libc::F_GETFD) != -1 {
            return;
        }
        STDOUT_CLOSED.store(true, Ordering::Relaxed);
        let fd = libc::open(c"/dev/null".as_ptr(), libc::O_WRONLY);
        if fd >= 0 && fd != libc::STDOUT_FILENO {
            libc::dup2(fd, libc::STDOUT_FILENO);
            libc::close(fd);
        }
    }
}

/// Was stdout closed when cxm started (`>&-`)?
pub fn stdout_closed() -> bool {
    STDOUT_CLOSED.load(Ordering::Relaxed)
}

/// Rust's stdout treats a closed descriptor as a sink, which would lose the report
/// without an error: refuse instead.
fn check_stdout_open() -> Result<()> {
    if STDOUT_CLOSED.load(Ordering::Relaxed) {
        return Err(CxmError::Internal(
            "stdout is closed: the report has nowhere to go (give -o PATH)".into(),
        ));
    }
    Ok(())
}

/// Is `path` the file this process's stdout writes to?
pub fn is_stdout(path: &std::path::Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    let Ok(file) = std::fs::metadata(path) else {
        return false;
    };
    // SAFETY: fstat only fills the struct it is given, for a descriptor it checks.
    let mut out: libc::stat = unsafe { std::mem::zeroed() };
    let ok = unsafe { libc::fstat(1, &mut out) } == 0;
    ok && out.st_dev as u64 == file.dev() && out.st_ino as u64 == file.ino()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Bytes written past several hand-overs, in writes of odd sizes, are all in
    /// the file and in order.
    #[test]
    fn early_writeback_keeps_every_byte() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.csv");
        let mut file = fs::File::create(&path).unwrap();
        let expected: Vec<u8> = (0..(3 * WRITEBACK_EVERY as usize + 12_345))
            .map(|i| (i % 251) as u8)
            .collect();
        {
            let mut out = EarlyWriteback::new(&mut file);
            for piece in expected.chunks(1_000_003) {
                out.write_all(piece).unwrap();
            }
            // Handed over after the 9th write (9,000,027 bytes, past 8 MiB) and the
            // 18th (8 MiB more); the last 7 MiB are left to the closing sync.
            assert_eq!(out.handed, 18 * 1_000_003);
            out.flush().unwrap();
        }
        file.sync_all().unwrap();
        assert_eq!(fs::read(&path).unwrap(), expected);
    }
}
