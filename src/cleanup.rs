//! Temporary files that must not outlive the process, even when it is interrupted.
//!
//! Drop handlers do not run when SIGINT, SIGTERM or SIGHUP ends the process, so the
//! output's temporary file (as large as the report) and the input spools would stay
//! behind. Every such path is registered here; a watcher thread removes them all when
//! one of those signals arrives and then lets the signal end the process as it would
//! have (so the shell sees "killed by SIGINT", exit status 130).

use std::path::{Path, PathBuf};
use std::sync::{Mutex, Once};

use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};

static PATHS: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
static WATCH: Once = Once::new();

/// Create a new temporary file in `dir` with `mode` (less the umask), registered
/// before it exists, so there is no moment when an interrupt could leave it behind.
pub fn temp_file_in(
    dir: &Path,
    prefix: &str,
    suffix: &str,
    mode: u32,
) -> std::io::Result<tempfile::NamedTempFile> {
    use std::os::unix::fs::OpenOptionsExt;
    tempfile::Builder::new()
        .prefix(prefix)
        .suffix(suffix)
        .make_in(dir, |path| {
            register(path);
            let created = std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create_new(true)
                .mode(mode)
                .open(path);
            if created.is_err() {
                forget(path); // not ours: another file may have that name
            }
            created
        })
}

/// Remove `path` if the process is interrupted before [`forget`] is called.
pub fn register(path: &Path) {
    watch();
    if let Ok(mut paths) = PATHS.lock() {
        paths.push(path.to_path_buf());
    }
}

/// `path` is no longer temporary (renamed into place, or removed).
pub fn forget(path: &Path) {
    if let Ok(mut paths) = PATHS.lock() {
        paths.retain(|p| p != path);
    }
}

/// Start the watcher thread once. Without it, signals keep their default action.
fn watch() {
    WATCH.call_once(|| {
        let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
            return; // no watcher: temporary files are then left as before
        };
        std::thread::spawn(move || {
            if let Some(signal) = signals.forever().next() {
                if let Ok(paths) = PATHS.lock() {
                    for p in paths.iter() {
                        let _ = std::fs::remove_file(p).or_else(|_| std::fs::remove_dir_all(p));
                    }
                }
                let _ = signal_hook::low_level::emulate_default_handler(signal);
                std::process::exit(128 + signal);
            }
        });
    });
}
