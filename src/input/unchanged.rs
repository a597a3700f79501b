//! Input files read in place (not spooled) are read more than once: sniffed, then
//! read in blocks or scanned, some again to locate a reject. One rewritten or
//! appended to by another program between those reads would give figures of two
//! different files with exit 0. Each file's size and modification time are noted
//! when it is first opened, and checked before the report is written.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::SystemTime;

use crate::data_err;
use crate::error::Result;

/// A file read in place: its path, name (as given), size and modification time.
struct Noted {
    path: PathBuf,
    name: String,
    len: u64,
    modified: Option<SystemTime>,
}

static NOTED: Mutex<Vec<Noted>> = Mutex::new(Vec::new());

/// Note a file as it is when first opened (a later opening keeps the first note).
pub fn note(path: &Path, name: &str, meta: &std::fs::Metadata) {
    let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let mut noted = NOTED.lock().unwrap_or_else(|p| p.into_inner());
    if !noted.iter().any(|n| n.path == path) {
        noted.push(Noted {
            path,
            name: name.to_string(),
            len: meta.len(),
            modified: meta.modified().ok(),
        });
    }
}

/// A file cxm has just written (its own report, looked at in a data folder and
/// skipped): no longer an input to watch.
pub fn forget(path: &Path) {
    let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    (NOTED.lock().unwrap_or_else(|p| p.into_inner())).retain(|n| n.path != path);
}

/// A data error naming the first file whose size or modification time is no longer
/// what it was when first opened.
pub fn check() -> Result<()> {
    let noted = NOTED.lock().unwrap_or_else(|p| p.into_inner());
    for n in noted.iter() {
        let now = std::fs::metadata(&n.path);
        let same = now.is_ok_and(|m| m.len() == n.len && m.modified().ok() == n.modified);
        if !same {
            return Err(data_err!(
                "{}: the file changed while it was read (rewritten or appended to by another program?); run again once it is whole",
                n.name
            ));
        }
    }
    Ok(())
}
