//! Metric definitions: pure functions over polars `LazyFrame`s and `Expr`s.
//! No clap, no file system, no printing here (SPEC §5 is implemented in the
//! submodules, one per domain; this module holds what they share).

pub mod tickets;

use chrono::{Datelike, NaiveDate};
use chrono_tz::Tz;
use polars::prelude::*;

use crate::cli::Every;
use crate::settings::Window;

/// Name of the bucket column (SPEC §6).
pub const PERIOD: &str = "period";

/// A reason a value or row is rejected, with the field it concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RejectRule {
    /// Column name of the boolean flag in the parsed frame.
    pub flag: String,
    pub field: &'static str,
    pub reason: &'static str,
}

impl RejectRule {
    pub fn new(field: &'static str, reason: &'static str) -> RejectRule {
        let slug: String = reason
            .chars()
            .map(|c| if c.is_alphanumeric() { c } else { '_' })
            .collect();
        RejectRule {
            flag: format!("__rej_{field}_{slug}"),
            field,
            reason,
        }
    }
}

/// Reject reasons (the wording users see).
pub mod reason {
    pub const MISSING: &str = "missing required value";
    pub const BAD_TIMESTAMP: &str = "unparseable timestamp";
    pub const BAD_NUMBER: &str = "unparseable number";
    pub const BAD_BOOL: &str = "unparseable boolean";
    pub const NEGATIVE: &str = "negative duration";
}

/// `raw` held something but `parsed` is null.
pub fn unparsed(raw: Expr, parsed: Expr) -> Expr {
    raw.is_not_null().and(parsed.is_null())
}

/// `100 × part ÷ whole`, null when `whole` is zero.
pub fn pct(part: Expr, whole: Expr) -> Expr {
    when(whole.clone().gt(lit(0)))
        .then(lit(100.0) * part.cast(DataType::Float64) / whole.cast(DataType::Float64))
        .otherwise(lit(NULL).cast(DataType::Float64))
}

/// Rows whose instant (UTC epoch ms) falls in the window.
pub fn in_window(epoch_ms: Expr, window: &Window) -> Expr {
    let mut keep = epoch_ms.clone().is_not_null();
    if let Some(s) = window.since {
        keep = keep.and(epoch_ms.clone().gt_eq(lit(s.timestamp_millis())));
    }
    if let Some(u) = window.until {
        keep = keep.and(epoch_ms.lt(lit(u.timestamp_millis())));
    }
    keep
}

/// The local start date of the bucket holding each instant (UTC epoch ms), in `tz`.
pub fn bucket_start(epoch_ms: Expr, every: Every, tz: Tz) -> Expr {
    let utc = epoch_ms.cast(DataType::Datetime(TimeUnit::Milliseconds, None));
    let local = if tz == Tz::UTC {
        utc
    } else {
        // SAFETY of the name: chrono-tz accepted it, and polars uses the same database.
        let zone = unsafe { TimeZone::new_unchecked(tz.name()) };
        utc.dt()
            .replace_time_zone(Some(TimeZone::UTC), lit("raise"), NonExistent::Raise)
            .dt()
            .convert_time_zone(zone)
    };
    let date = local.dt().date();
    match every {
        Every::Day => date,
        Every::Week => date.dt().truncate(lit("1w")),
        Every::Month => date.dt().truncate(lit("1mo")),
        Every::Quarter => date.dt().truncate(lit("1q")),
        Every::Year => date.dt().truncate(lit("1y")),
    }
}

/// The label of a bucket starting on `start` (SPEC §3): `2025-03-04`, `2025-W09`,
/// `2025-03`, `2025-Q1`, `2025`.
pub fn bucket_label(start: NaiveDate, every: Every) -> String {
    match every {
        Every::Day => start.format("%Y-%m-%d").to_string(),
        Every::Week => {
            let w = start.iso_week();
            format!("{}-W{:02}", w.year(), w.week())
        }
        Every::Month => start.format("%Y-%m").to_string(),
        Every::Quarter => format!("{}-Q{}", start.year(), start.month0() / 3 + 1),
        Every::Year => format!("{}", start.year()),
    }
}

/// Sort a grouped result by its keys (nulls last), then by period.
pub fn sort_by_keys(lf: LazyFrame, keys: &[String]) -> LazyFrame {
    if keys.is_empty() {
        return lf;
    }
    let opts = SortMultipleOptions::default()
        .with_nulls_last(true)
        .with_maintain_order(true);
    lf.sort(keys.iter().map(|k| k.as_str()).collect::<Vec<_>>(), opts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels() {
        let d = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(bucket_label(d("2025-03-04"), Every::Day), "2025-03-04");
        assert_eq!(bucket_label(d("2024-12-30"), Every::Week), "2025-W01");
        assert_eq!(bucket_label(d("2025-02-24"), Every::Week), "2025-W09");
        assert_eq!(bucket_label(d("2025-03-01"), Every::Month), "2025-03");
        assert_eq!(bucket_label(d("2025-10-01"), Every::Quarter), "2025-Q4");
        assert_eq!(bucket_label(d("2025-01-01"), Every::Year), "2025");
    }
}
