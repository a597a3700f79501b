//! `cxm sample`: deterministic sample data (see [`crate::sample`]).

use crate::cli::SampleArgs;
use crate::error::Result;

pub fn run(a: &SampleArgs) -> Result<()> {
    let customers = a.customers.unwrap_or((a.tickets / 10).max(100));
    crate::sample::write(&a.out, a.tickets, customers, a.seed)?;
    match a.events {
        Some(n) => crate::sample::write_events(&a.out, n, a.seed),
        None => Ok(()),
    }
}
