//! `cxm sample`: deterministic sample data (see [`crate::sample`]).

use crate::cli::SampleArgs;
use crate::error::Result;

pub fn run(a: &SampleArgs) -> Result<()> {
    // A folder is asked for: a file there is a mistyped path, not a fault of the run.
    if a.out.as_os_str() == "-" || (a.out.exists() && !a.out.is_dir()) {
        return Err(crate::usage_err!(
            "--out {}: not a folder; give a folder to write tickets.csv, surveys.csv and subscriptions.csv into",
            crate::text::path_shown(&a.out)
        ));
    }
    let customers = a.customers.unwrap_or((a.tickets / 10).max(100));
    crate::sample::write(&a.out, a.tickets, customers, a.events, a.seed)?;
    match a.events {
        Some(_) => Ok(()),
        None => {
            // A log of an earlier run would sit beside this run's files unnoticed.
            let older = a.out.join("events.csv");
            if older.exists() {
                crate::say!(
                    "cxm: warning: {}: left as it was, from before this run (give --events N to write it again, or remove it)",
                    crate::text::path_shown(&older)
                );
            }
            Ok(())
        }
    }
}
