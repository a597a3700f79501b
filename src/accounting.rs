//! `--verbose`: where every row went. Rows read = used + rejected (+ duplicates, + rows
//! without a value to use, + rows outside the window), counted in the same pass as the
//! metrics; blank rows and rows `--where` leaves out are counted apart, from more
//! counts of the files.

use std::fmt;

use polars::prelude::*;

use crate::error::Result;
use crate::input::Input;
use crate::metrics::count_true;

const READ: &str = "__acct_read";
const USED: &str = "__acct_used";
const REJECTED: &str = "__acct_rejected";
const DUPLICATES: &str = "__acct_duplicates";
const EMPTY: &str = "__acct_empty";
const OUTSIDE: &str = "__acct_outside";
const OTHER: &str = "__acct_other";
const CURRENT: &str = "__acct_current";

/// How each row of the input was used. The categories are disjoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accounting {
    pub read: u64,
    pub used: u64,
    pub rejected: u64,
    pub duplicates: Option<u64>,
    /// Rows with nothing to use but nothing wrong (a survey row without a score).
    pub empty: Option<(u64, &'static str)>,
    /// Good rows whose time falls outside `--since/--until/--period`.
    pub outside: Option<u64>,
    /// Of the rows used, those of the window before it (`--compare previous`).
    pub previous: Option<u64>,
    /// Rows of data the command does not measure (another kind of survey).
    pub other: Option<(u64, &'static str)>,
    /// Rows `--where` left out, skipped before parsing.
    pub filtered: u64,
    /// Blank lines and rows of empty cells, skipped before parsing.
    pub blank: u64,
}

/// The categories of one command, as boolean row expressions.
pub struct Categories {
    pub used: Expr,
    pub rejected: Expr,
    pub duplicates: Option<Expr>,
    pub empty: Option<(Expr, &'static str)>,
    /// A row that would be used but lies outside the window (disjoint from `used`).
    pub outside: Option<Expr>,
    /// Rows of data the command does not measure, neither used nor rejected.
    pub other: Option<(Expr, &'static str)>,
    /// Where rows of the window before it are used too (`report --compare
    /// previous`): a usable row of the window itself, for [`all_outside`].
    pub current: Option<Expr>,
}

impl Categories {
    /// Sums to add to the counts pass.
    pub fn exprs(&self) -> Vec<Expr> {
        // A ragged row is rejected whatever else it holds.
        let ragged = col(crate::input::RAGGED);
        let sum =
            |e: &Expr, name: &str| count_true(e.clone().and(ragged.clone().not())).alias(name);
        let mut out = vec![
            len().cast(DataType::UInt64).alias(READ),
            sum(&self.used, USED),
            count_true(self.rejected.clone().or(ragged.clone())).alias(REJECTED),
        ];
        if let Some(d) = &self.duplicates {
            out.push(sum(d, DUPLICATES));
        }
        if let Some((e, _)) = &self.empty {
            out.push(sum(e, EMPTY));
        }
        if let Some(e) = &self.outside {
            out.push(sum(e, OUTSIDE));
        }
        if let Some((e, _)) = &self.other {
            out.push(sum(e, OTHER));
        }
        if let Some(e) = &self.current {
            out.push(sum(e, CURRENT));
        }
        out
    }

    /// Read the sums back from the counts frame; `input` counts the blank rows, and
    /// `filtered` are the rows `--where` left out.
    pub fn read(&self, counts: &DataFrame, input: &Input, filtered: u64) -> Result<Accounting> {
        let get = |name: &str| -> u64 {
            counts
                .column(name)
                .ok()
                .and_then(|c| c.as_materialized_series().sum::<u64>().ok())
                .unwrap_or(0)
        };
        let read = rows_read(counts);
        Ok(Accounting {
            read,
            used: get(USED),
            rejected: get(REJECTED),
            duplicates: self.duplicates.as_ref().map(|_| get(DUPLICATES)),
            empty: self.empty.as_ref().map(|(_, label)| (get(EMPTY), *label)),
            outside: self.outside.as_ref().map(|_| get(OUTSIDE)),
            previous: (self.current.as_ref()).map(|_| get(USED).saturating_sub(get(CURRENT))),
            other: self.other.as_ref().map(|(_, label)| (get(OTHER), *label)),
            filtered,
            blank: input.count_rows()?.saturating_sub(read + filtered),
        })
    }
}

/// Did the window leave out every usable row? (Rows outside it, none used: a stale
/// export, or a window that misses the data.) Where the window before it is used
/// too, only the window's own rows count as in it.
pub fn all_outside(counts: &DataFrame) -> bool {
    let get = |name: &str| -> u64 {
        counts
            .column(name)
            .ok()
            .and_then(|c| c.as_materialized_series().sum::<u64>().ok())
            .unwrap_or(0)
    };
    match counts.column(CURRENT).is_ok() {
        true => get(CURRENT) == 0 && get(USED) + get(OUTSIDE) > 0,
        false => get(USED) == 0 && get(OUTSIDE) > 0,
    }
}

/// The rows read (blank rows aside), from a counts frame that carries the categories.
/// Column of the counts: rows that `--where` leaves out but that are counted as
/// dropped repeats (ids are resolved first), so not as left out.
pub const FILTERED_REPEATS: &str = "__acct_filtered_repeats";

/// Column of the counts: rows that `--where` keeps on their own but whose id's kept
/// row it leaves out, so left out with their ticket.
pub const STALE_LEFT_OUT: &str = "__acct_stale_left_out";

/// Of the rows `--where` left out (`filtered`), those not counted elsewhere, and the
/// rows left out with their ticket.
pub fn left_out(counts: &DataFrame, filtered: u64) -> u64 {
    let sum = |name: &str| {
        (counts.column(name).ok())
            .and_then(|c| c.as_materialized_series().sum::<u64>().ok())
            .unwrap_or(0)
    };
    filtered.saturating_sub(sum(FILTERED_REPEATS)) + sum(STALE_LEFT_OUT)
}

/// The rows read that a `--where` kept, or that were not judged by it: all but the
/// dropped repeats of an id (whose kept row `--where` judged for them).
pub fn rows_kept(counts: &DataFrame) -> u64 {
    let duplicates = counts
        .column(DUPLICATES)
        .ok()
        .and_then(|c| c.as_materialized_series().sum::<u64>().ok())
        .unwrap_or(0);
    rows_read(counts).saturating_sub(duplicates)
}

/// The rows of data the command does not measure (another kind of survey).
pub fn rows_other(counts: &DataFrame) -> u64 {
    counts
        .column(OTHER)
        .ok()
        .and_then(|c| c.as_materialized_series().sum::<u64>().ok())
        .unwrap_or(0)
}

pub fn rows_read(counts: &DataFrame) -> u64 {
    counts
        .column(READ)
        .ok()
        .and_then(|c| c.as_materialized_series().sum::<u64>().ok())
        .unwrap_or(0)
}

impl fmt::Display for Accounting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let rows = if self.read == 1 { "row" } else { "rows" };
        write!(f, "{} {rows} read = {} used", self.read, self.used)?;
        if let Some(p) = self.previous.filter(|&p| p > 0) {
            write!(f, " ({p} of them in the previous window)")?;
        }
        write!(f, " + {} rejected", self.rejected)?;
        if let Some(d) = self.duplicates {
            write!(f, " + {d} duplicates")?;
        }
        if let Some((n, label)) = self.empty {
            write!(f, " + {n} {label}")?;
        }
        if let Some(n) = self.outside.filter(|&n| n > 0) {
            write!(f, " + {n} outside the window")?;
        }
        if let Some((n, label)) = self.other.filter(|(n, _)| *n > 0) {
            write!(f, " + {n} {label}")?;
        }
        if self.filtered > 0 {
            let rows = if self.filtered == 1 { "row" } else { "rows" };
            write!(f, "; {} {rows} left out by --where", self.filtered)?;
        }
        if self.blank > 0 {
            let rows = if self.blank == 1 { "row" } else { "rows" };
            write!(
                f,
                "; {} {rows} blank in every column read, skipped",
                self.blank
            )?;
        }
        Ok(())
    }
}

/// Print the accounting of `input` on stderr, and the preset each file's headers
/// chose (information for `-v`, SPEC §3).
pub fn print(input: &Input, acc: &Accounting) {
    let names: Vec<&str> = input.files.iter().map(|f| f.source.name.as_str()).collect();
    let read_as = (input.read_as.as_ref()).map_or(String::new(), |r| format!(" ({r})"));
    crate::say!(
        "cxm: {}{read_as}: {acc}",
        crate::text::files_listed(&names, " + ")
    );
    for f in &input.files {
        if let Some(left_out) = &f.source.left_out {
            crate::say!("cxm: {}: {left_out}", f.source.name);
        }
        if let Some((preset, true)) = f.preset {
            crate::say!(
                "cxm: {}: the {} preset ({}), detected from its headers",
                f.source.name,
                preset.name,
                preset.describe
            );
        }
    }
}
