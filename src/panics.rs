//! No panic reaches the user as one (SPEC §3). The binary installs [`install`]'s hook,
//! which prints nothing and keeps the latest panic's place; [`catch`] turns a panic
//! under it (on any thread that hands its panic back, as polars' workers do) into its
//! message, which the caller reports as an error: an internal one at the top, or a
//! damaged file where a reader that can fail this way is called (Parquet). A panic a
//! library catches itself (polars falls back from its streaming engine so) is not
//! reported.

use std::any::Any;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Mutex;

/// The latest panic's message and place (`message (file.rs:line)`).
static LATEST: Mutex<Option<String>> = Mutex::new(None);

/// Keep panics' messages and places instead of printing them.
pub fn install() {
    panic::set_hook(Box::new(|info| {
        let at = info
            .location()
            .map(|l| {
                let file = l.file().rsplit(['/', '\\']).next().unwrap_or_default();
                format!(" ({file}:{})", l.line())
            })
            .unwrap_or_default();
        let placed = format!("{}{at}", message(info.payload()));
        *LATEST.lock().unwrap_or_else(|p| p.into_inner()) = Some(placed);
    }));
}

/// Run `f`; a panic in it is returned as its message, with its place when the hook
/// saw it.
pub fn catch<T>(f: impl FnOnce() -> T) -> std::result::Result<T, String> {
    panic::catch_unwind(AssertUnwindSafe(f)).map_err(|payload| {
        let said = message(payload.as_ref());
        let latest = LATEST.lock().unwrap_or_else(|p| p.into_inner()).take();
        match latest {
            Some(placed) if placed.starts_with(&said) => placed,
            _ => said,
        }
    })
}

fn message(payload: &(dyn Any + Send)) -> String {
    match payload.downcast_ref::<&str>() {
        Some(s) => s.to_string(),
        None => match payload.downcast_ref::<String>() {
            Some(s) => s.clone(),
            None => "a panic without a message".to_string(),
        },
    }
}
