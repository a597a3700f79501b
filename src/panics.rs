//! No panic reaches the user as one (SPEC §3). The binary installs [`install`]'s hook,
//! which prints nothing and keeps the first panic's message; [`catch`] turns a panic
//! under it (on any thread that hands its panic back, as polars' workers do) into that
//! message, which the caller reports as an error: an internal one at the top, or a
//! damaged file where a reader that can fail this way is called (Parquet).

use std::panic::{self, AssertUnwindSafe};
use std::sync::Mutex;

static FIRST: Mutex<Option<String>> = Mutex::new(None);

/// Keep panics' messages instead of printing them.
pub fn install() {
    panic::set_hook(Box::new(|info| {
        let message = match info.payload().downcast_ref::<&str>() {
            Some(s) => s.to_string(),
            None => match info.payload().downcast_ref::<String>() {
                Some(s) => s.clone(),
                None => "no message".to_string(),
            },
        };
        let at = info
            .location()
            .map(|l| {
                let file = l.file().rsplit(['/', '\\']).next().unwrap_or_default();
                format!(" ({file}:{})", l.line())
            })
            .unwrap_or_default();
        let mut first = FIRST.lock().unwrap_or_else(|p| p.into_inner());
        first.get_or_insert(format!("{message}{at}"));
    }));
}

/// The first panic's message since the last call, if any.
pub fn take() -> Option<String> {
    FIRST.lock().unwrap_or_else(|p| p.into_inner()).take()
}

/// Run `f`; a panic in it is returned as its message.
pub fn catch<T>(f: impl FnOnce() -> T) -> std::result::Result<T, String> {
    panic::catch_unwind(AssertUnwindSafe(f))
        .map_err(|_| take().unwrap_or_else(|| "a panic without a message".to_string()))
}
