//! A spinner on stderr while a long computation runs. Polars reports no progress, so
//! it shows what is being read and for how long, not a percentage.
//!
//! Shown only when stderr is a terminal, `CI` is unset and `--quiet` is not given,
//! and only once the work has taken [`DELAY`]: pipes, cron and quick runs never see
//! it. It writes no colour.

use std::io::IsTerminal;
use std::sync::mpsc::{channel, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

/// How long work runs before the spinner appears.
pub const DELAY: Duration = Duration::from_millis(400);

/// Whether a spinner may be drawn at all.
pub fn allowed(quiet: bool) -> bool {
    // A dumb terminal (an editor's shell buffer) shows a line's redraws as escapes.
    let dumb = std::env::var_os("TERM").is_some_and(|t| t == "dumb");
    !quiet && !dumb && std::env::var_os("CI").is_none() && std::io::stderr().is_terminal()
}

/// The spinner on screen, if any: a line said meanwhile clears it first.
static SHOWN: std::sync::Mutex<Option<ProgressBar>> = std::sync::Mutex::new(None);

fn shown() -> std::sync::MutexGuard<'static, Option<ProgressBar>> {
    SHOWN.lock().unwrap_or_else(|p| p.into_inner())
}

/// Write `line` to stderr, with the spinner (when one is drawn) cleared before and
/// drawn again after it: a warning said mid-run left a frozen spinner line above it.
pub fn say_line(line: &str) {
    use std::io::Write as _;
    let write = || {
        let _ = writeln!(std::io::stderr(), "{line}");
    };
    match &*shown() {
        Some(bar) => bar.suspend(write),
        None => write(),
    }
}

/// Clear the spinner's line, if one is drawn, and draw no more: the process is about
/// to end on a signal, where no [`Spinner`] is dropped.
pub fn clear_for_exit() {
    if let Some(bar) = shown().take() {
        bar.finish_and_clear();
    }
}

/// A running spinner; dropping it clears the line.
pub struct Spinner {
    stop: Option<Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Spinner {
    /// Start timing `message`; the spinner appears after [`DELAY`] if still running.
    pub fn start(message: String, quiet: bool) -> Spinner {
        if !allowed(quiet) {
            return Spinner {
                stop: None,
                thread: None,
            };
        }
        let (stop, stopped) = channel::<()>();
        crate::cleanup::watch();
        let thread = std::thread::spawn(move || {
            if stopped.recv_timeout(DELAY) != Err(RecvTimeoutError::Timeout) {
                return;
            }
            let bar = ProgressBar::new_spinner();
            if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} ({elapsed})") {
                bar.set_style(style);
            }
            // It names the files read: made safe to print.
            bar.set_message(crate::text::printable(&message));
            bar.enable_steady_tick(Duration::from_millis(120));
            *shown() = Some(bar.clone());
            let _ = stopped.recv();
            let mut on_screen = shown();
            *on_screen = None;
            bar.finish_and_clear();
        });
        Spinner {
            stop: Some(stop),
            thread: Some(thread),
        }
    }
}

impl Drop for Spinner {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// `reading a.csv, b.csv` for the spinner.
pub fn reading(paths: &[std::path::PathBuf]) -> String {
    let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    format!("cxm: reading {}", crate::text::files_listed(&names, ", "))
}
