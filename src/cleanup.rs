//! Temporary files that must not outlive the process, even when it is interrupted.
//!
//! Drop handlers do not run when SIGINT, SIGTERM or SIGHUP ends the process, so the
//! output's temporary file (as large as the report) and the input spools would stay
//! behind. Every such path is registered here; a watcher thread removes them all when
//! one of those signals arrives and then lets the signal end the process as it would
//! have (so the shell sees "killed by SIGINT", exit status 130).
//!
//! Files are created and registered under the registry's lock, and the watcher holds
//! that lock from the moment it starts removing until the process ends: a file is
//! either created before the watcher looks (and so removed by it) or never created.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, Once};

use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};

static PATHS: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
static WATCH: Once = Once::new();

fn paths() -> MutexGuard<'static, Vec<PathBuf>> {
    PATHS.lock().unwrap_or_else(|p| p.into_inner())
}

/// Create a new temporary file in `dir` with `mode` (less the umask), registered as
/// it is created.
pub fn temp_file_in(
    dir: &Path,
    prefix: &str,
    suffix: &str,
    mode: u32,
) -> std::io::Result<tempfile::NamedTempFile> {
    use std::os::unix::fs::OpenOptionsExt;
    watch();
    tempfile::Builder::new()
        .prefix(prefix)
        .suffix(suffix)
        .make_in(dir, |path| {
            let mut registered = paths();
            let created = std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create_new(true)
                .mode(mode)
                .open(path);
            if created.is_ok() {
                registered.push(path.to_path_buf());
            }
            created
        })
        .map_err(|e| in_folder(e, dir))
}

/// An error creating a temporary file or folder, naming the folder (and `TMPDIR`,
/// where it came from there: a cron job's environment may point it anywhere).
fn in_folder(e: std::io::Error, dir: &Path) -> std::io::Error {
    let whose = match std::env::var_os("TMPDIR").is_some_and(|t| Path::new(&t) == dir) {
        true => ", from TMPDIR",
        false => "",
    };
    std::io::Error::new(e.kind(), format!("in {}{whose}: {e}", dir.display()))
}

/// Create a new temporary folder (in the system's temporary folder), registered as it
/// is created; everything written inside it goes with it.
pub fn temp_dir(prefix: &str) -> std::io::Result<tempfile::TempDir> {
    watch();
    let mut registered = paths();
    let dir = (tempfile::Builder::new().prefix(prefix).tempdir())
        .map_err(|e| in_folder(e, &std::env::temp_dir()))?;
    registered.push(dir.path().to_path_buf());
    Ok(dir)
}

/// Rename `tmp` over `path` and forget it, under the registry's lock: once the
/// watcher has removed the files, no rename can fail behind it and end the run with
/// an error before the signal does.
pub fn persist(tmp: tempfile::NamedTempFile, path: &Path) -> std::io::Result<()> {
    let mut registered = paths();
    let tmp_path = tmp.path().to_path_buf();
    let renamed = tmp.persist(path).map(|_| ()).map_err(|e| e.error);
    registered.retain(|p| *p != tmp_path);
    renamed
}

/// [`persist`] each temporary file over its path, all under one hold of the
/// registry's lock: a signal leaves either every old file or every new one (a report
/// beside the rejects file of the run before was no pair).
pub fn persist_all(files: Vec<(tempfile::NamedTempFile, PathBuf)>) -> std::io::Result<()> {
    let mut registered = paths();
    let mut first_error = None;
    for (tmp, path) in files {
        let tmp_path = tmp.path().to_path_buf();
        if let Err(e) = tmp.persist(&path) {
            let shown = crate::text::path_shown(&path);
            let e = std::io::Error::new(e.error.kind(), format!("{shown}: {}", e.error));
            first_error.get_or_insert(e);
        }
        registered.retain(|p| *p != tmp_path);
    }
    first_error.map_or(Ok(()), Err)
}

/// `path` is no longer temporary (renamed into place, or removed).
pub fn forget(path: &Path) {
    paths().retain(|p| p != path);
}

/// Start the watcher thread once (for temporary files, and for the spinner, whose line
/// it clears). Without it, signals keep their default action. A signal the process was
/// started ignoring (`nohup`, a script's background job) stays ignored: it would not
/// have ended the run.
pub fn watch() {
    WATCH.call_once(|| {
        let watched: Vec<i32> = [SIGINT, SIGTERM, SIGHUP]
            .into_iter()
            .filter(|&s| !is_ignored(s))
            .collect();
        if watched.is_empty() {
            return;
        }
        let Ok(mut signals) = signal_hook::iterator::Signals::new(watched) else {
            return; // no watcher: temporary files are then left as before
        };
        std::thread::spawn(move || {
            if let Some(signal) = signals.forever().next() {
                // A spinner drawn when Ctrl-C came stayed on screen above the prompt.
                crate::progress::clear_for_exit();
                // Held until the process ends: no file can be created after this.
                let registered = paths();
                for p in registered.iter() {
                    let _ = std::fs::remove_file(p).or_else(|_| std::fs::remove_dir_all(p));
                }
                let _ = signal_hook::low_level::emulate_default_handler(signal);
                std::process::exit(128 + signal);
            }
        });
    });
}

/// Is `signal` ignored (as `nohup` leaves SIGHUP)?
fn is_ignored(signal: i32) -> bool {
    // SAFETY: with a null new action, sigaction only reads the current one into `old`.
    unsafe {
        let mut old: libc::sigaction = std::mem::zeroed();
        libc::sigaction(signal, std::ptr::null(), &mut old) == 0
            && old.sa_sigaction == libc::SIG_IGN
    }
}

/// A write past the file-size limit (`ulimit -f`) fails with an error, rather than
/// the signal ending the run where no temporary file can be removed.
pub fn fail_writes_past_size_limit() {
    // SAFETY: setting a signal's disposition to "ignore" runs no code of ours.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
}

/// An input file cut short while it is read through a map (another program rewriting
/// it) raises SIGBUS where the missing page is touched, and would end the run without a
/// word. Caught: the run stops with a data error (exit 3) saying so, removing the
/// temporary files it can.
pub fn stop_on_cut_short_input() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // SAFETY: the handler only writes a fixed message, unlinks paths copied onto
        // its stack and calls `_exit`, all async-signal-safe.
        unsafe {
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = on_sigbus as extern "C" fn(libc::c_int) as libc::sighandler_t;
            libc::sigemptyset(&mut action.sa_mask);
            libc::sigaction(libc::SIGBUS, &action, std::ptr::null_mut());
        }
    });
}

extern "C" fn on_sigbus(_: libc::c_int) {
    const SAID: &[u8] = b"cxm: error: an input file was cut short while it was read (rewritten by another program?); run again once it is whole\n";
    // SAFETY: writing a static buffer to stderr.
    unsafe {
        libc::write(2, SAID.as_ptr().cast(), SAID.len());
    }
    // Only if no thread holds the registry: waiting here could be for ever.
    if let Ok(registered) = PATHS.try_lock() {
        for p in registered.iter() {
            let bytes = std::os::unix::ffi::OsStrExt::as_bytes(p.as_os_str());
            let mut c_path = [0u8; 4096];
            if bytes.len() < c_path.len() && !bytes.contains(&0) {
                c_path[..bytes.len()].copy_from_slice(bytes);
                // SAFETY: a NUL-terminated path on the stack; a folder is not removed
                // (that would need its listing).
                unsafe {
                    libc::unlink(c_path.as_ptr().cast());
                }
            }
        }
    }
    // SAFETY: ends the process at once, running no destructor or handler.
    unsafe { libc::_exit(3) }
}
