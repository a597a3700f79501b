//! End-to-end tests of the `cxm` binary.
//!
//! - `tickets`: every ticket metric on hand-made fixtures (expected values worked out
//!   in comments), grouping, buckets, windows and time zones.
//! - `formats`: each output format, `-o` (atomic, format from extension).
//! - `fuzz`: no panic or internal error on random CSV-shaped text and bytes.
//! - `inputs`: stdin, gzip, several files, real public data, `inspect`, `sample`.
//! - `events`: `tickets --events` on a hand-made log, every derived fact worked out.
//! - `surveys`: survey metrics on hand-made fixtures, labels, scales, forms, the ticket
//!   join and `--compare previous`.
//! - `churn`: subscription, snapshot and activity churn on hand-made fixtures.
//! - `retention`: MRR movements, cohorts, survival and billing presets, worked by hand.
//! - `customers`, `drivers`: one row per customer from tickets, surveys and
//!   subscriptions; outcomes by bucket of a service factor.
//! - `excel`: `.xlsx` workbooks read as their CSV twins, rows located, `--sheet`.
//! - `html`: `--format html`: self-contained, its charts, the CSV's numbers, a browser.
//! - `filters`: `--where` on every metric command, `report` and `customers`.
//! - `config`: `--config` defaults, label maps, overrides and errors.
//! - `messy`: the messy-export corpus, file by file.
//! - `parquet`: Parquet inputs give what the same data as CSV gives; rows located.
//! - `presets`: vendor presets, by name and detected.
//! - `report`: `cxm report` sections, formats, saved reports, `--fail-if`, cron runs.
//! - `sla`: SLA policies' verdicts per group, in `report`, and `--per-ticket`.
//! - `robust`: `--rejects` files, repeated ticket ids.
//! - `honest`: inputs that once gave a wrong figure with exit 0.
//! - `limits`: record-size limit, read-once inputs, UTF-16, ambiguous names, escaping.
//! - `safety`: special files behind `-o`, modes, inputs and config never overwritten,
//!   signals, a closed stdout.
//! - `errors`: exit codes and messages of SPEC §3.
//! - `crosscheck`: ticket and survey metrics on generated data against DuckDB.
//! - `sql`: `cxm sql` queries run on DuckDB and PostgreSQL give the commands' numbers.
//! - `docs`: the examples of README.md and docs/ print what they show.

mod churn;
mod common;
mod config;
mod crosscheck;
mod customers;
mod docs;
mod drivers;
mod errors;
mod events;
mod excel;
mod filters;
mod formats;
mod fuzz;
mod honest;
mod html;
mod inputs;
mod limits;
mod messy;
mod parquet;
mod presets;
mod report;
mod retention;
mod robust;
mod safety;
mod sla;
mod sql;
mod surveys;
mod terminal;
mod tickets;
mod timestamps;
