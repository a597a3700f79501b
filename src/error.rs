//! The one error type of cxm and the exit codes of SPEC §3 (plus 4 for `--fail-if`).
//!
//! Library code returns [`CxmError`]; `main` only maps it to an exit code and prints
//! its `Display` (never `Debug`) after a `cxm:` prefix.

use std::fmt;

/// What went wrong, by who has to fix it.
#[derive(Debug)]
pub enum CxmError {
    /// A flag, argument or configuration value is wrong (exit 2).
    Usage(String),
    /// The input data cannot be used: missing column, unreadable file,
    /// ambiguous dates, `--strict` with rejected rows (exit 3).
    Data(String),
    /// Anything else: I/O on output, an internal engine failure (exit 1).
    Internal(String),
    /// A `--fail-if` rule was breached; the report was written (exit 4).
    Threshold(String),
}

impl CxmError {
    /// The same error, its message followed by `more`.
    pub fn also(self, more: &str) -> CxmError {
        match self {
            CxmError::Usage(m) => CxmError::Usage(format!("{m}; {more}")),
            CxmError::Data(m) => CxmError::Data(format!("{m}; {more}")),
            CxmError::Internal(m) => CxmError::Internal(format!("{m}; {more}")),
            CxmError::Threshold(m) => CxmError::Threshold(format!("{m}; {more}")),
        }
    }

    /// The process exit code for this error (SPEC §3).
    pub fn exit_code(&self) -> u8 {
        match self {
            CxmError::Internal(_) => 1,
            CxmError::Usage(_) => 2,
            CxmError::Data(_) => 3,
            CxmError::Threshold(_) => 4,
        }
    }
}

impl fmt::Display for CxmError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CxmError::Usage(m)
            | CxmError::Data(m)
            | CxmError::Internal(m)
            | CxmError::Threshold(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for CxmError {}

impl From<std::io::Error> for CxmError {
    fn from(e: std::io::Error) -> Self {
        CxmError::Internal(e.to_string())
    }
}

/// How a failure inside polars begins: it names no file, which a caller holding the
/// files can find ([`crate::input::Input::locate_failure`]).
pub const UNREAD: &str = "the input could not be read: ";

/// A failure inside polars while it reads and computes is, in practice, input it
/// cannot read (bytes that are not UTF-8, an unterminated quote, a row with more
/// fields than the header): a data error (exit 3).
impl From<polars::error::PolarsError> for CxmError {
    fn from(e: polars::error::PolarsError) -> Self {
        let text = e.to_string();
        let hint = if text.contains("more fields than defined") {
            " (a row has more fields than the header; check the delimiter, or quote the field)"
        } else if text.to_ascii_lowercase().contains("utf-8") || text.contains("utf8") {
            " (give --encoding latin1 if the file is Latin-1)"
        } else if text.contains("could not parse") {
            " (an unterminated quote, or a field the CSV reader cannot split)"
        } else {
            ""
        };
        CxmError::Data(format!(
            "{UNREAD}{}{hint}",
            text.lines().next().unwrap_or("").trim()
        ))
    }
}

/// Shorthand for results in cxm.
pub type Result<T, E = CxmError> = std::result::Result<T, E>;

/// Build a usage error (exit 2) from a format string.
#[macro_export]
macro_rules! usage_err {
    ($($arg:tt)*) => { $crate::error::CxmError::Usage(format!($($arg)*)) };
}

/// A line on stderr (warnings, `-v` counts, the error itself). A stderr that cannot
/// be written (a pipe whose reader has gone: `cxm … 2>&1 | head -1`) loses the line
/// rather than ending the run in a panic, as `crate::say!` would. Warnings are kept
/// too ([`warnings_said`]), for a page read away from the terminal.
#[macro_export]
macro_rules! say {
    ($($arg:tt)*) => {{
        // Whatever a message quotes (a config's value, a file's), no control
        // character reaches the terminal: an escape sequence is shown, not run.
        let line = $crate::text::printable_lines(&format!($($arg)*));
        if $crate::error::keep_warning(&line) {
            $crate::progress::say_line(&line);
        }
    }};
}

/// The warnings said so far, in order.
static WARNINGS: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());

/// Keep `line` when it is a warning (`cxm: warning: …`); false when that warning
/// was already said (a file read by two of a command's passes warns once).
pub fn keep_warning(line: &str) -> bool {
    let Some(warning) = line.strip_prefix("cxm: warning: ") else {
        return true;
    };
    let mut kept = WARNINGS.lock().unwrap_or_else(|p| p.into_inner());
    if kept.iter().any(|w| w == warning) {
        return false;
    }
    kept.push(warning.to_string());
    true
}

/// The warnings said on stderr so far: an HTML page, mailed from a cron job, shows
/// them (a stale export's page would otherwise look like any other).
pub fn warnings_said() -> Vec<String> {
    WARNINGS.lock().unwrap_or_else(|p| p.into_inner()).clone()
}

/// Build a data error (exit 3) from a format string.
#[macro_export]
macro_rules! data_err {
    ($($arg:tt)*) => { $crate::error::CxmError::Data(format!($($arg)*)) };
}
